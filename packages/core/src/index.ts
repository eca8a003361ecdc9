export { assertResultsMatchBatch } from "./assert-results-match-batch.js";
export { type BatchExecution, startBatchExecution } from "./batch-execution.js";
export {
  type CallIdGenerator,
  type CallIdGeneratorOptions,
  createCallIdGenerator,
  PORTABLE_CALL_ID,
} from "./call-id.js";
export {
  ANTHROPIC_CALL_IDS,
  type CallIdPolicy,
  derivePortableCallId,
  GEMINI_CALL_IDS,
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
} from "./call-id-policy.js";
export { convertHistory } from "./convert-history.js";
export { copyJsonValue } from "./copy-json-value.js";
export { createToolCall, type RawToolCall } from "./create-tool-call.js";
export {
  createTranscriptBuilder,
  type FoundCall,
  type FoundResult,
  joinText,
  type TranscriptBuilder,
} from "./create-transcript-builder.js";
export {
  type AnyTool,
  defineTool,
  type InferToolInput,
  type LockKeys,
  PORTABLE_TOOL_NAME,
  type Tool,
  type ToolDefinition,
  type ToolExecuteContext,
  type ToolInputSchema,
} from "./define-tool.js";
export { describeValue } from "./describe-value.js";
export { BatchOrderError } from "./errors/batch-order-error.js";
export { DuplicateToolError } from "./errors/duplicate-tool-error.js";
export { InvalidHistoryError } from "./errors/invalid-history-error.js";
export { InvalidOptionError } from "./errors/invalid-option-error.js";
export { InvalidToolDefinitionError } from "./errors/invalid-tool-definition-error.js";
export { InvalidTranscriptError } from "./errors/invalid-transcript-error.js";
export { ResultMismatchError } from "./errors/result-mismatch-error.js";
export { hasErrorMarker, ToolbatchError } from "./errors/toolbatch-error.js";
export { executeBatch } from "./execute-batch.js";
export type { ExecuteBatchOptions } from "./execute-batch-options.js";
export type {
  BatchEndEvent,
  CallEndEvent,
  CallStartEvent,
  ExecutionEvent,
} from "./execution-events.js";
export { isJsonObject } from "./is-json-object.js";
export { type JsonSchema, type JsonSchemaInput, jsonSchema } from "./json-schema.js";
export { type ParsedArguments, parseToolArguments } from "./parse-tool-arguments.js";
export {
  type PreparedTranscript,
  prepareTranscript,
  type RenderTarget,
} from "./prepare-transcript.js";
export type {
  AdapterCapabilities,
  ParallelRequestOptions,
  ProviderAdapter,
  StreamAssembler,
} from "./provider-adapter.js";
export { renderOutputText, renderResultText } from "./render-result-text.js";
export {
  runToolLoop,
  type ToolLoopOptions,
  type ToolLoopResult,
  type ToolLoopStep,
  type ToolLoopStopReason,
} from "./run-tool-loop.js";
export type {
  StandardJsonSchemaConverter,
  StandardJsonSchemaTarget,
  StandardSchemaIssue,
  StandardSchemaProps,
  StandardSchemaResult,
  StandardSchemaV1,
} from "./standard-schema.js";
export type { BatchWarning, ToolCall, ToolCallBatch } from "./tool-call.js";
export {
  type AccumulatedCalls,
  createToolCallAccumulator,
  type StreamCallInfo,
  type StreamCallKey,
  type ToolCallAccumulator,
} from "./tool-call-accumulator.js";
export {
  type ToolError,
  type ToolErrorCode,
  type ToolFailure,
  type ToolResult,
  type ToolSuccess,
  toolFailure,
  toolSuccess,
} from "./tool-result.js";
export { createToolSet, type ToolSet } from "./tool-set.js";
export type {
  RenderedHistory,
  Transcript,
  TranscriptAssistantTurn,
  TranscriptCall,
  TranscriptCodec,
  TranscriptReading,
  TranscriptResult,
  TranscriptTurn,
  TranscriptUserTurn,
  TranscriptWarning,
  VendorState,
} from "./transcript.js";
export {
  readOutputText,
  readResultText,
  renderTranscriptResultText,
} from "./transcript-result-text.js";
