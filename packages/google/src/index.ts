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
