import type { Content } from "@google/generative-ai";
import type { TranscriptCodec } from "@toolbatch/core";
import {
  createGeminiTranscript,
  type GeminiTranscriptOptions,
} from "./create-gemini-transcript.js";

/** Options of {@link googleGenerativeAITranscript}. */
export type GoogleGenerativeAITranscriptOptions = GeminiTranscriptOptions;

/**
 * The transcript codec for the deprecated `@google/generative-ai` SDK's `contents` (and
 * `startChat({ history })`): the same Gemini JSON as `googleGenAITranscript()`, with results in one
 * content of role `function`, as the legacy adapter's follow-up: the SDK's ChatSession refuses a
 * `functionResponse` in a `user` content. Thought signatures, which the legacy types do not know,
 * are rendered all the same (the API takes them).
 *
 * @example
 * const { messages, system } = convertHistory(anthropicMessages, anthropicTranscript(), googleGenerativeAITranscript());
 * const model = genAI.getGenerativeModel({ model: "gemini-2.5-flash", systemInstruction: system, tools });
 * await model.generateContent({ contents: messages });
 */
export const googleGenerativeAITranscript = (
  options: GoogleGenerativeAITranscriptOptions = {},
): TranscriptCodec<Content> => createGeminiTranscript<Content>("function", options);
