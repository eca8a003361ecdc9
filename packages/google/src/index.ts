/**
 * `@toolbatch/google`: every export of `@toolbatch/google/genai` and
 * `@toolbatch/google/generative-ai` in one entry. Its type declarations import both SDKs' types,
 * and both SDKs are optional peers: with one SDK installed, import that SDK's entry, or compile
 * with `skipLibCheck` (otherwise TypeScript reports TS2307 for the other SDK).
 *
 * @module
 */
export type { DeclarationWarning } from "./convert-json-schema-to-openapi.js";
export type { GeminiOptions, GeminiParallelFields } from "./create-gemini-adapter.js";
export type { GeminiTranscriptOptions } from "./create-gemini-transcript.js";
export { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";
export {
  type GoogleGenAIAdapter,
  type GoogleGenAIOptions,
  googleGenAI,
} from "./google-genai-adapter.js";
export {
  type GoogleGenAITranscriptOptions,
  googleGenAITranscript,
} from "./google-genai-transcript.js";
export {
  type GoogleGenerativeAIAdapter,
  type GoogleGenerativeAIOptions,
  googleGenerativeAI,
} from "./google-generative-ai-adapter.js";
export {
  type GoogleGenerativeAITranscriptOptions,
  googleGenerativeAITranscript,
} from "./google-generative-ai-transcript.js";
