// The source, one folder per concern:
//   batch/        the data every part speaks: ToolCall, ToolCallBatch, ToolResult
//   tools/        defineTool, tool sets, input schemas (Standard Schema, JSON Schema)
//   execution/    executeBatch, startBatchExecution: the batch run, one call's run, the scheduler
//   audit/        the access audit: which calls ran on which data categories (AccessRecord)
//   limits/       createResourceLimiter: shared resources' budgets and lock keys across batches
//   loop/         runToolLoop: send, run the turn's calls, append the follow-up, repeat
//   adapter-kit/  what adapters build on: ProviderAdapter, stream accumulator, call ids, arguments
//   transcript/   a conversation in no vendor's format, and moving it from one vendor to another
//   approval/     approvals bound to what they approve: digest, requests, decisions, signing
//   durable/      BatchCheckpoint (plain, versioned JSON) and BatchStore: a batch across processes;
//                 the file store is its own entry, `@toolbatch/core/file-store` (file-store.ts)
//   resumable/    runBatch, resumeBatch: a batch that suspends for approvals and survives a crash,
//                 each call run at most once (unless idempotent), through the executor's ledger
//   errors/       what core throws (programmer errors only), one class per file
//   values/       helpers for untyped values: describeValue, copyJsonValue, isJsonObject

export { addCallWarning } from "./adapter-kit/add-call-warning.js";
export { assertResultsMatchBatch } from "./adapter-kit/assert-results-match-batch.js";
export {
  type CallIdGenerator,
  type CallIdGeneratorOptions,
  createCallIdGenerator,
  PORTABLE_CALL_ID,
} from "./adapter-kit/call-id.js";
export {
  ANTHROPIC_CALL_IDS,
  type CallIdPolicy,
  derivePortableCallId,
  GEMINI_CALL_IDS,
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
} from "./adapter-kit/call-id-policy.js";
export {
  type CreateToolCallOptions,
  createToolCall,
  type RawToolCall,
} from "./adapter-kit/create-tool-call.js";
export { type ParsedArguments, parseToolArguments } from "./adapter-kit/parse-tool-arguments.js";
export type {
  AdapterCapabilities,
  ParallelRequestOptions,
  ProviderAdapter,
  StreamAssembler,
} from "./adapter-kit/provider-adapter.js";
export {
  modelOutputOf,
  renderOutputText,
  renderResultText,
} from "./adapter-kit/render-result-text.js";
export {
  type AccumulatedCalls,
  createToolCallAccumulator,
  type StreamCallInfo,
  type StreamCallKey,
  type ToolCallAccumulator,
} from "./adapter-kit/tool-call-accumulator.js";
export { approvalDigest } from "./approval/approval-digest.js";
export {
  type ApprovalDecision,
  type ApprovalRequest,
  createApprovalRequest,
} from "./approval/approval-request.js";
export { type ApprovalSigner, createApprovalSigner } from "./approval/approval-signer.js";
export {
  type ApprovalVerifier,
  createApprovalVerifier,
  type VerifiedApproval,
} from "./approval/approval-verifier.js";
export { canonicalJson } from "./approval/canonical-json.js";
export {
  ACCESS_RECORD_SCHEMA_VERSION,
  type AccessAudit,
  type AccessedCall,
  type AccessRecord,
  type AuditOptions,
  type ContentKind,
  type EndedBatch,
  type RedactHook,
  type SensitiveAccess,
  type StepAccessRecord,
} from "./audit/access-record.js";
export { createAccessAudit } from "./audit/create-access-audit.js";
export { type RelayedResult, relayResult } from "./batch/relayed-result.js";
export { addTokenUsage, type TokenUsage } from "./batch/token-usage.js";
export type { BatchWarning, ToolCall, ToolCallBatch } from "./batch/tool-call.js";
export {
  type ToolError,
  type ToolErrorCode,
  type ToolFailure,
  type ToolResult,
  type ToolSuccess,
  toolFailure,
  toolSuccess,
} from "./batch/tool-result.js";
export {
  BATCH_CHECKPOINT_SCHEMA_VERSION,
  type BatchCheckpoint,
  type KeptApproval,
  type LedgerEntry,
} from "./durable/batch-checkpoint.js";
export type { BatchStore, StoredBatchCheckpoint } from "./durable/batch-store.js";
export { createMemoryBatchStore } from "./durable/memory-batch-store.js";
export { parseBatchCheckpoint } from "./durable/parse-batch-checkpoint.js";
export {
  deserializeBatchCheckpoint,
  serializeBatchCheckpoint,
} from "./durable/serialize-batch-checkpoint.js";
export {
  ApprovalMismatchError,
  type ApprovalMismatchReason,
} from "./errors/approval-mismatch-error.js";
export { BatchConflictError } from "./errors/batch-conflict-error.js";
export { BatchOrderError } from "./errors/batch-order-error.js";
export { CheckpointVersionError } from "./errors/checkpoint-version-error.js";
export { DuplicateToolError } from "./errors/duplicate-tool-error.js";
export { InvalidCheckpointError } from "./errors/invalid-checkpoint-error.js";
export { InvalidHistoryError } from "./errors/invalid-history-error.js";
export { InvalidOptionError } from "./errors/invalid-option-error.js";
export { InvalidToolDefinitionError } from "./errors/invalid-tool-definition-error.js";
export { InvalidTranscriptError } from "./errors/invalid-transcript-error.js";
export { MissingApprovalHandlerError } from "./errors/missing-approval-handler-error.js";
export { ResultMismatchError } from "./errors/result-mismatch-error.js";
export { ToolLoopError } from "./errors/tool-loop-error.js";
export { hasErrorMarker, ToolbatchError } from "./errors/toolbatch-error.js";
export { TruncatedStreamError } from "./errors/truncated-stream-error.js";
export { UnexpectedResponseError } from "./errors/unexpected-response-error.js";
export type {
  ApprovalAnswer,
  ApprovalQuestion,
  ApproveHandler,
} from "./execution/approval-gate.js";
export { type BatchExecution, startBatchExecution } from "./execution/batch-execution.js";
export { executeBatch } from "./execution/execute-batch.js";
export type { ExecuteBatchOptions } from "./execution/execute-batch-options.js";
export type {
  ApprovalDecidedEvent,
  ApprovalRequestedEvent,
  BatchEndEvent,
  BatchEventFields,
  BatchStartEvent,
  CallEndEvent,
  CallReleaseEvent,
  CallStartEvent,
  CallWaitEvent,
  ExecutionEvent,
} from "./execution/execution-events.js";
export type { ErrorTextContext, ErrorTextHook } from "./execution/present-result.js";
export {
  createResourceLimiter,
  type RateLimit,
  type ResourceLimit,
  type ResourceLimiterOptions,
} from "./limits/create-resource-limiter.js";
export type {
  AcquireOptions,
  ResourceClaim,
  ResourceLimiter,
  ResourceRelease,
  ResourceWait,
  ResourceWaitReason,
} from "./limits/resource-limiter.js";
export type { LoopBatches, LoopBatchOptions } from "./loop/loop-batches.js";
export { runToolLoop } from "./loop/run-tool-loop.js";
export { stopAfterTool } from "./loop/stop-after-tool.js";
export {
  parseToolLoopCheckpoint,
  TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
  type ToolLoopCheckpoint,
  type ToolLoopCheckpointBase,
  type ToolLoopCheckpointFields,
} from "./loop/tool-loop-checkpoint.js";
export type {
  ToolLoopPrepareContext,
  ToolLoopStepPreparation,
  ToolLoopStepStart,
  ToolLoopStopCondition,
  ToolLoopStopContext,
  ToolLoopTextDeltaContext,
} from "./loop/tool-loop-hooks.js";
export type {
  ToolLoopBaseOptions,
  ToolLoopOptions,
  ToolLoopSendContext,
} from "./loop/tool-loop-options.js";
export type {
  ToolLoopPartialResult,
  ToolLoopResult,
  ToolLoopStep,
  ToolLoopStopReason,
} from "./loop/tool-loop-result.js";
export type {
  BatchOutcome,
  ResumeBatchOptions,
  RunBatchOptions,
} from "./resumable/batch-outcome.js";
export {
  type ResumableBatchesOptions,
  resumableBatches,
} from "./resumable/resumable-batches.js";
export { resumeBatch } from "./resumable/resume-batch.js";
export { runBatch } from "./resumable/run-batch.js";
export {
  type AnyTool,
  type ApprovalCheckContext,
  defineTool,
  type InferToolInput,
  type LockKeys,
  type NeedsApproval,
  PORTABLE_TOOL_NAME,
  type Tool,
  type ToolAccesses,
  type ToolDefinition,
  type ToolExecuteContext,
  type ToolInputSchema,
  type ToolModelOutputContext,
} from "./tools/define-tool.js";
export { type JsonSchema, type JsonSchemaInput, jsonSchema } from "./tools/json-schema.js";
export type {
  StandardJsonSchemaConverter,
  StandardJsonSchemaTarget,
  StandardSchemaIssue,
  StandardSchemaProps,
  StandardSchemaResult,
  StandardSchemaV1,
} from "./tools/standard-schema.js";
export type {
  NameOf,
  SuccessOf,
  ToolName,
  ToolOf,
  ToolResultOf,
} from "./tools/tool-result-of.js";
export { createToolSet, type ToolSet } from "./tools/tool-set.js";
export {
  checkHistoryField,
  type HistoryFieldType,
} from "./transcript/check-history-field.js";
export { type ConvertHistoryOptions, convertHistory } from "./transcript/convert-history.js";
export { copyHistory } from "./transcript/copy-history.js";
export {
  createTranscriptBuilder,
  type FoundCall,
  type FoundResult,
  joinText,
  type TranscriptBuilder,
  type TranscriptBuilderOptions,
} from "./transcript/create-transcript-builder.js";
export {
  type PreparedTranscript,
  prepareTranscript,
  type RenderTarget,
} from "./transcript/prepare-transcript.js";
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
} from "./transcript/transcript.js";
export {
  readOutputText,
  readResultText,
  renderTranscriptResultText,
} from "./transcript/transcript-result-text.js";
export { copyJsonValue, type JsonValueFault, MAX_JSON_DEPTH } from "./values/copy-json-value.js";
export { describeValue } from "./values/describe-value.js";
export { isJsonObject } from "./values/is-json-object.js";
