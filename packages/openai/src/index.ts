export { ChoiceNotFoundError } from "./errors/choice-not-found-error.js";
export { StrictSchemaError } from "./errors/strict-schema-error.js";
export {
  type OpenAIChatAdapter,
  type OpenAIChatOptions,
  openaiChat,
} from "./openai-chat-adapter.js";
