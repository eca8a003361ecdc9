export { type AssembledStream, assembleStream } from "./contract/assemble-stream.js";
export {
  type AdapterContractOptions,
  describeAdapterContract,
} from "./contract/describe-adapter-contract.js";
export {
  type ExpectedCall,
  loadRecordings,
  type Recording,
  type RecordingSource,
} from "./recordings/load-recordings.js";
export { loadSpecValidator, type SpecName, type SpecValidator } from "./schemas/spec-validator.js";
export { openaiChatWire } from "./wires/openai-chat-wire.js";
export { rechunkText, type TextChunkCodec } from "./wires/rechunk-text.js";
export type { ResultCarrier, WireProfile } from "./wires/wire-profile.js";
