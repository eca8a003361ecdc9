/**
 * `@toolbatch/contract/server`: the loopback vendor servers and the recordings, without vitest,
 * for demos, examples and other test runners (ESM and CommonJS).
 */
export {
  type ExpectedCall,
  loadRecordings,
  type Recording,
  type RecordingSource,
} from "./recordings/load-recordings.js";
export { InvalidServerOptionError } from "./server/invalid-server-option-error.js";
export { parseSseEvents, type SseEvent } from "./server/parse-sse-events.js";
export type { RecordedRequest } from "./server/recorded-request.js";
export { replyFromRecording } from "./server/reply-from-recording.js";
export { scriptedToolModel, type ToolModelScript } from "./server/scripted-tool-model.js";
export {
  type ErrorReply,
  errorReply,
  type JsonReply,
  jsonReply,
  type ReplyInit,
  type ServerReply,
  type SseEventsReply,
  type SseReplyInit,
  type SseTextReply,
  type SseTextReplyInit,
  type StreamPacing,
  sseReply,
  sseTextReply,
} from "./server/server-reply.js";
export { frameSseEvent, type SseEventInit } from "./server/sse-frame.js";
export type { RouteName, VendorName } from "./server/vendor-routes.js";
export {
  type ReplyFunction,
  type ReplyScript,
  startVendorServer,
  type VendorServer,
  type VendorServerOptions,
} from "./server/vendor-server.js";
