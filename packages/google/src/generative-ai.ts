/**
 * `@toolbatch/google/generative-ai`: the adapter and transcript codec for the deprecated
 * `@google/generative-ai` SDK, with the options and errors they share with the `@google/genai`
 * adapter. Its type declarations import `@google/generative-ai` only, so a project that has
 * installed just that SDK type-checks without `skipLibCheck` (the main entry imports both SDKs'
 * types).
 *
 * @module
 */
export type { DeclarationWarning } from "./convert-json-schema-to-openapi.js";
export type { GeminiOptions, GeminiParallelFields } from "./create-gemini-adapter.js";
export type { GeminiTranscriptOptions } from "./create-gemini-transcript.js";
export { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";
export {
  type GoogleGenerativeAIAdapter,
  type GoogleGenerativeAIOptions,
  type GoogleGenerativeAISent,
  googleGenerativeAI,
} from "./google-generative-ai-adapter.js";
export {
  type GoogleGenerativeAITranscriptOptions,
  googleGenerativeAITranscript,
} from "./google-generative-ai-transcript.js";
