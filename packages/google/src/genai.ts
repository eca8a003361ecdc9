/**
 * `@toolbatch/google/genai`: the adapter and transcript codec for `@google/genai` (Gemini API and
 * Vertex AI), with the options and errors they share with the legacy adapter. Its type
 * declarations import `@google/genai` only, so a project that has installed just that SDK
 * type-checks without `skipLibCheck` (the main entry imports both SDKs' types).
 *
 * @module
 */
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
