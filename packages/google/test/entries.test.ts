import { describe, expect, it } from "vitest";
import * as genai from "../src/genai.js";
import * as generativeAI from "../src/generative-ai.js";
import * as main from "../src/index.js";

// `@toolbatch/google/genai` and `@toolbatch/google/generative-ai` are the main entry cut by SDK,
// so that each one's type declarations import only its own SDK (both SDKs are optional peers).
describe("the per-SDK entries", () => {
  it("export each SDK's adapter and codec, and the error both adapters throw", () => {
    expect(Object.keys(genai).sort()).toStrictEqual([
      "CandidateNotFoundError",
      "googleGenAI",
      "googleGenAITranscript",
    ]);
    expect(Object.keys(generativeAI).sort()).toStrictEqual([
      "CandidateNotFoundError",
      "googleGenerativeAI",
      "googleGenerativeAITranscript",
    ]);
  });

  it("together export what the main entry exports, the same values", () => {
    const both: Record<string, unknown> = { ...genai, ...generativeAI };
    expect(Object.keys(both).sort()).toStrictEqual(Object.keys(main).sort());
    for (const [name, value] of Object.entries(main)) expect(both[name]).toBe(value);
  });
});
