export type { DeclarationWarning } from "./convert-json-schema-to-openapi.js";
export type { GeminiOptions, GeminiParallelFields } from "./create-gemini-adapter.js";
export { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";
export {
  type GoogleGenAIAdapter,
  type GoogleGenAIOptions,
  googleGenAI,
} from "./google-genai-adapter.js";
export {
  type GoogleGenerativeAIAdapter,
  type GoogleGenerativeAIOptions,
  googleGenerativeAI,
} from "./google-generative-ai-adapter.js";
