/**
 * `@toolbatch/contract`: the contract-test kit every toolbatch adapter runs (vitest, ESM only),
 * plus everything of `@toolbatch/contract/server`.
 */
export { type AssembledStream, assembleStream } from "./contract/assemble-stream.js";
export {
  type AdapterContractOptions,
  describeAdapterContract,
} from "./contract/describe-adapter-contract.js";
export {
  type BatchStoreContractOptions,
  describeBatchStoreContract,
  HOSTILE_BATCH_IDS,
} from "./contract/describe-batch-store-contract.js";
export {
  describeTranscriptContract,
  type TranscriptContractOptions,
} from "./contract/describe-transcript-contract.js";
export { recordedResults } from "./contract/recorded-results.js";
export {
  type SampleCheckpointOptions,
  sampleBatchCheckpoint,
} from "./durable/sample-batch-checkpoint.js";
export { loadSpecValidator, type SpecName, type SpecValidator } from "./schemas/spec-validator.js";
export * from "./server.js";
export { expectInvalidHistory } from "./transcript/expect-invalid-history.js";
export {
  type HostileHistory,
  hostileHistoryArbitrary,
} from "./transcript/hostile-history-arbitrary.js";
export {
  type HostileTranscript,
  hostileTranscriptArbitrary,
} from "./transcript/hostile-transcript-arbitrary.js";
export { transcriptArbitrary } from "./transcript/transcript-arbitrary.js";
export {
  assistantTurnsOf,
  callsOf,
  deepFreeze,
  type RoundTrip,
  renderAndReadBack,
  stateOf,
  transcriptFacts,
  withOriginalIds,
  withoutForeignState,
} from "./transcript/transcript-helpers.js";
export { anthropicWire } from "./wires/anthropic-wire.js";
export { geminiLegacyWire } from "./wires/gemini-legacy-wire.js";
export { type GeminiRequest, geminiWire } from "./wires/gemini-wire.js";
export { openaiChatWire } from "./wires/openai-chat-wire.js";
export { openaiResponsesWire } from "./wires/openai-responses-wire.js";
export { rechunkText, type TextChunkCodec } from "./wires/rechunk-text.js";
export { streamAnthropicMessage } from "./wires/stream-anthropic.js";
export type { ResultCarrier, WireProfile } from "./wires/wire-profile.js";
