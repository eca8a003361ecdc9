import type { Recording } from "../recordings/load-recordings.js";

/** A result as a follow-up carries it, read back from the vendor's messages. */
export interface ResultCarrier {
  /** The call id the carrier answers (`tool_call_id`, `call_id`, `tool_use_id`, `functionResponse.id`). */
  readonly callId: string | undefined;
  /** The vendor's error flag, where it has one (`is_error`, `response.error`); `undefined` where it has none. */
  readonly error: boolean | undefined;
  /** The result's text as the model will read it. */
  readonly text: string;
}

/**
 * What the contract kit needs to know of one wire protocol to test any adapter of it: how its
 * recordings, streams, requests and schemas look. The kit ships one per protocol it records
 * (`openaiChatWire`, ...); an adapter for a new vendor brings its own.
 */
export interface WireProfile<Response, StreamEvent, Request, Message> {
  /** The protocol's recordings key (`openai-chat`, ...), as in `loadRecordings(vendor)`. */
  readonly vendor: string;
  /** A recorded stream body as the events the vendor SDK yields. */
  parseStream(stream: NonNullable<Recording["stream"]>): StreamEvent[];
  /**
   * The same stream cut at other places: argument fragments split and joined anew at the
   * positions `cuts` picks (taken modulo the text length). Content must not change.
   */
  rechunk(events: readonly StreamEvent[], cuts: readonly number[]): StreamEvent[];
  /**
   * A whole response as the vendor streams the same turn: the events its stream carries, with
   * text, reasoning and arguments in pieces where the vendor sends them in pieces. The kit
   * assembles these (and re-chunkings of them) and checks that the batch and the follow-up equal
   * those of the response unstreamed.
   */
  streamOf(response: Response): StreamEvent[];
  /** The recorded response (kind `json`) as the vendor SDK returns it. */
  response(recording: Recording): Response;
  /** The history (messages, input items, contents) of a request. */
  history(request: Request): Message[];
  /** A copy of a request with other history and extra fields (tool declarations, switches). */
  withHistory(request: Request, history: readonly Message[], fields?: Partial<Request>): Request;
  /** A copy of a request with these tool declarations. */
  withTools(request: Request, tools: unknown): Request;
  /** The problems the vendor's published schema finds in a request; empty when valid. */
  validateRequest(request: Request): string[];
  /** The messages a recorded follow-up request added after the first request's history. */
  recordedFollowUp(recording: Recording): Message[] | undefined;
  /** A follow-up reduced to what must match a recording: echoed calls and result carriers. */
  comparable(followUp: readonly Message[]): unknown;
  /** The result carriers of a follow-up, in order. */
  readResults(followUp: readonly Message[]): ResultCarrier[];
  /** Whether request fields from `requestOptions` turn parallel calls off. */
  disablesParallel(fields: Partial<Request>): boolean;
}
