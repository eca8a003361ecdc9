import type { Content } from "@google/genai";
import type { GenerateContentRequest, Content as LegacyContent } from "@google/generative-ai";
import { deepFreeze, geminiLegacyWire } from "@toolbatch/contract";
import { convertHistory } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import {
  googleGenAITranscript,
  googleGenerativeAI,
  googleGenerativeAITranscript,
} from "../src/index.js";
import {
  baseRequest,
  conversations,
  mixedResults,
  recordedBatch,
  recordedHistory,
} from "./transcript-support.js";

const legacy = googleGenerativeAITranscript();
const genai = googleGenAITranscript();
const legacyRequest = baseRequest as unknown as GenerateContentRequest;

describe.each(conversations.map((recording) => [recording.key, recording] as const))(
  "recorded conversation %s with the legacy SDK",
  (_key, recording) => {
    const history = deepFreeze(recordedHistory(recording)) as unknown as LegacyContent[];

    it("renders results in one `function` content, as its ChatSession wants, and the API accepts it", () => {
      const rendered = legacy.render(legacy.read(history).transcript);
      expect(rendered.messages.map((content) => content.role)).toEqual([
        "user",
        "model",
        "function",
      ]);
      expect(geminiLegacyWire.comparable(rendered.messages)).toStrictEqual(
        geminiLegacyWire.comparable(history),
      );
      expect(
        geminiLegacyWire.validateRequest(
          geminiLegacyWire.withHistory(legacyRequest, rendered.messages),
        ),
      ).toEqual([]);
      expect(rendered.warnings).toEqual([]);
    });

    it("reads what @google/genai reads: Gemini state crosses between the two SDKs", () => {
      expect(legacy.read(history)).toStrictEqual(genai.read(history as unknown as Content[]));
      const converted = convertHistory(history, legacy, genai);
      expect(converted.warnings).toEqual([]);
      expect(converted.messages[1]).toStrictEqual(history[1]);
    });
  },
);

describe("the history googleGenerativeAI() writes", () => {
  it("reads its `function` results and renders them back the same", () => {
    const recording = conversations[0];
    if (!recording) throw new Error("no Gemini conversation");
    const batch = recordedBatch(recording);
    const adapter = googleGenerativeAI({ onWarning: () => {} });
    const history = deepFreeze<LegacyContent[]>([
      { role: "user", parts: [{ text: "Go." }] },
      ...adapter.toFollowUp(
        batch as unknown as Parameters<typeof adapter.toFollowUp>[0],
        mixedResults(batch),
      ),
    ]);
    expect(history[2]?.role).toBe("function");
    const { transcript, warnings } = legacy.read(history);
    expect(warnings).toEqual([]);
    expect(legacy.render(transcript).messages).toStrictEqual(history);
    // And @google/genai gets the same contents, results in `user`.
    expect(genai.render(transcript).messages).toStrictEqual([
      history[0],
      history[1],
      { ...history[2], role: "user" },
    ]);
  });
});
