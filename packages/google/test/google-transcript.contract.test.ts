import { describeTranscriptContract, geminiLegacyWire, geminiWire } from "@toolbatch/contract";
import { GEMINI_CALL_IDS } from "@toolbatch/core";
import { googleGenAITranscript, googleGenerativeAITranscript } from "../src/index.js";

describeTranscriptContract({
  codec: () => googleGenAITranscript(),
  wire: geminiWire,
  callIds: GEMINI_CALL_IDS,
  systemFields: (system) => ({ systemInstruction: { parts: [{ text: system }] } }),
});

describeTranscriptContract({
  codec: () => googleGenerativeAITranscript(),
  wire: geminiLegacyWire,
  callIds: GEMINI_CALL_IDS,
  systemFields: (system) => ({ systemInstruction: { role: "system", parts: [{ text: system }] } }),
});
