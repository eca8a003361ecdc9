export {
  checkStrictJsonSchema,
  type StrictSchemaProblem,
  type StrictSchemaProblemKind,
} from "./check-strict-json-schema.js";
export type { OpenAIResponsesTurn } from "./decode-openai-responses-response.js";
export type { ResponsesHistoryMode } from "./encode-openai-responses-results.js";
export { ChoiceNotFoundError } from "./errors/choice-not-found-error.js";
export { StrictSchemaError } from "./errors/strict-schema-error.js";
export { TooManyToolsError } from "./errors/too-many-tools-error.js";
export {
  type OpenAIChatAdapter,
  type OpenAIChatOptions,
  type OpenAIChatRequest,
  type OpenAIParallelFields,
  openaiChat,
} from "./openai-chat-adapter.js";
export {
  type OpenAIChatTranscriptOptions,
  openaiChatTranscript,
} from "./openai-chat-transcript.js";
export {
  type OpenAIResponsesAdapter,
  type OpenAIResponsesOptions,
  openaiResponses,
} from "./openai-responses-adapter.js";
export { openaiResponsesTranscript } from "./openai-responses-transcript.js";
export { type OpenAIStrictArguments, openaiStrictTool } from "./openai-strict-tool.js";
