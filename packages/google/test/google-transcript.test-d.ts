import type { Content, GoogleGenAI } from "@google/genai";
import type { GoogleGenerativeAI, Content as LegacyContent } from "@google/generative-ai";
import {
  convertHistory,
  type RenderedHistory,
  type TranscriptCodec,
  type TranscriptReading,
} from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type GeminiTranscriptOptions,
  type GoogleGenAITranscriptOptions,
  type GoogleGenerativeAITranscriptOptions,
  googleGenAITranscript,
  googleGenerativeAITranscript,
} from "../src/index.js";

declare const ai: GoogleGenAI;
declare const genAI: GoogleGenerativeAI;

describe("transcript codecs speak each SDK's own Content", () => {
  it("googleGenAITranscript reads and renders @google/genai Content", () => {
    const codec = googleGenAITranscript();
    expectTypeOf(codec).toEqualTypeOf<TranscriptCodec<Content>>();
    expectTypeOf(codec.read).parameter(0).toEqualTypeOf<readonly Content[]>();
    expectTypeOf(codec.read([])).toEqualTypeOf<TranscriptReading>();
    expectTypeOf(codec.render({ turns: [] })).toEqualTypeOf<RenderedHistory<Content>>();
  });

  it("googleGenerativeAITranscript reads and renders the legacy SDK's Content", () => {
    const codec = googleGenerativeAITranscript();
    expectTypeOf(codec).toEqualTypeOf<TranscriptCodec<LegacyContent>>();
    expectTypeOf(codec.render({ turns: [] }).messages).toEqualTypeOf<LegacyContent[]>();
  });

  it("convertHistory infers both SDKs' types, and the result goes straight into a request", async () => {
    const history: Content[] = [];
    const toLegacy = convertHistory(
      history,
      googleGenAITranscript(),
      googleGenerativeAITranscript(),
    );
    expectTypeOf(toLegacy).toEqualTypeOf<RenderedHistory<LegacyContent>>();
    const model = genAI.getGenerativeModel({ model: "m", systemInstruction: toLegacy.system });
    model.startChat({ history: toLegacy.messages });
    await model.generateContent({ contents: toLegacy.messages });

    const toGenAI = convertHistory(
      toLegacy.messages,
      googleGenerativeAITranscript(),
      googleGenAITranscript(),
    );
    expectTypeOf(toGenAI.messages).toEqualTypeOf<Content[]>();
    await ai.models.generateContent({
      model: "m",
      contents: toGenAI.messages,
      config: { systemInstruction: toGenAI.system },
    });
  });

  it("takes the placeholder signature, or false", () => {
    expectTypeOf<GoogleGenAITranscriptOptions>().toEqualTypeOf<GeminiTranscriptOptions>();
    expectTypeOf<GoogleGenerativeAITranscriptOptions>().toEqualTypeOf<GeminiTranscriptOptions>();
    expectTypeOf<GeminiTranscriptOptions>().toEqualTypeOf<{
      signaturePlaceholder?: string | false;
    }>();
    googleGenAITranscript({ signaturePlaceholder: false });
    // @ts-expect-error: true is not a signature
    googleGenAITranscript({ signaturePlaceholder: true });
  });
});
