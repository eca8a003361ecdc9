export {
  type AnthropicAdapter,
  type AnthropicOptions,
  anthropic,
} from "./anthropic-adapter.js";
export { type AnthropicTranscriptOptions, anthropicTranscript } from "./anthropic-transcript.js";
export { ANTHROPIC_CALL_ID } from "./decode-anthropic-block.js";
export type {
  AnthropicParallelFields,
  AnthropicRequestOptions,
} from "./encode-anthropic-tool-choice.js";
export { InvalidCallIdError } from "./errors/invalid-call-id-error.js";
