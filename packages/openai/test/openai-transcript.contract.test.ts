import {
  describeTranscriptContract,
  openaiChatWire,
  openaiResponsesWire,
} from "@toolbatch/contract";
import { MISTRAL_CALL_IDS, OPENAI_CALL_IDS } from "@toolbatch/core";
import { openaiChatTranscript, openaiResponsesTranscript } from "../src/index.js";

describeTranscriptContract({
  codec: () => openaiChatTranscript(),
  wire: openaiChatWire,
  callIds: OPENAI_CALL_IDS,
});

// Mistral's Chat Completions: the same messages, ids of exactly 9 letters or digits.
describeTranscriptContract({
  codec: () => openaiChatTranscript({ callIds: MISTRAL_CALL_IDS }),
  wire: openaiChatWire,
  callIds: MISTRAL_CALL_IDS,
});

describeTranscriptContract({
  codec: () => openaiResponsesTranscript(),
  wire: openaiResponsesWire,
  callIds: OPENAI_CALL_IDS,
});
