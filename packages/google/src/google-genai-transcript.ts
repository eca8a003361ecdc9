import type { Content } from "@google/genai";
import type { TranscriptCodec } from "@toolbatch/core";
import {
  createGeminiTranscript,
  type GeminiTranscriptOptions,
} from "./create-gemini-transcript.js";

/** Options of {@link googleGenAITranscript}. */
export type GoogleGenAITranscriptOptions = GeminiTranscriptOptions;

/**
 * The transcript codec for `@google/genai` `contents` (Gemini API and Vertex AI): reads a
 * conversation's contents into a vendor-neutral transcript and renders one back, results in one
 * `user` content. Gemini's thought parts and signatures come back for Gemini only; ids go to
 * Google only where Gemini sent them; system instructions come back apart, for
 * `config.systemInstruction`.
 *
 * @example
 * const { messages, system, warnings } = convertHistory(openaiMessages, openaiChatTranscript(), googleGenAITranscript());
 * await ai.models.generateContent({ model, contents: messages, config: { systemInstruction: system, tools } });
 */
export const googleGenAITranscript = (
  options: GoogleGenAITranscriptOptions = {},
): TranscriptCodec<Content> => createGeminiTranscript<Content>("user", options);
