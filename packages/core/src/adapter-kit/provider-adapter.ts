import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";

/** What a vendor protocol can do, as data the contract kit and the loop read. */
export interface AdapterCapabilities {
  /**
   * `native`: the vendor has a request switch for parallel calls (OpenAI `parallel_tool_calls`,
   * Anthropic `disable_parallel_tool_use`). `client-only`: it has none (Gemini); `parallel: false`
   * then holds only because the executor runs the batch one call at a time.
   */
  readonly parallelToggle: "native" | "client-only";
  /** `always`: the vendor sends an id with every call. `sometimes`: ids may be missing and are synthesized. */
  readonly callIds: "always" | "sometimes";
  /** `native`: results carry an error flag (`is_error`, `response.error`). `text`: errors are told in the text. */
  readonly errorFlag: "native" | "text";
  /** Whether the adapter can assemble the vendor's stream. */
  readonly streaming: boolean;
}

/** Options of `requestOptions`. */
export interface ParallelRequestOptions {
  /** False asks the vendor for at most one call per turn, where it has a switch. */
  readonly parallel: boolean;
  /**
   * How many tools the request declares. With 0, adapters send no switch: some vendors reject a
   * parallel switch on a request without tools. Default: tools are present.
   */
  readonly toolCount?: number;
}

/**
 * Assembles one streamed turn into a batch. Feed it every event of the vendor's stream, in order.
 */
export interface StreamAssembler<StreamEvent, Turn = unknown> {
  /**
   * Reads one event; returns the calls this event proved complete (each call exactly once). A
   * reported call may start running at once (`runToolLoop` starts it), so it must be in the batch
   * `finish` returns, at its index, with the same id and input, wherever the stream ends.
   */
  push(event: StreamEvent): ToolCall[];
  /**
   * The assistant text this event adds to the turn (a Chat `content` delta, a Responses
   * `output_text.delta`, an Anthropic `text_delta`, a Gemini chunk's text parts), for showing the
   * answer as it streams; `undefined` for an event that adds none. Reasoning and thinking text is
   * never returned. The texts of a stream's events, joined, are the `text` of `finish()`'s batch.
   * It only reads the event: call it before or after `push`, or without pushing at all.
   */
  textOf?(event: StreamEvent): string | undefined;
  /**
   * Ends the stream and returns the batch, equal to the one `toBatch` makes of the same turn
   * unstreamed. A stream cut off before the vendor said how the turn ended gives an incomplete
   * batch without `stopReason` (never one the assembler made up): `runToolLoop` reads that as a
   * cut connection.
   */
  finish(): ToolCallBatch<Turn>;
}

/**
 * One vendor protocol. A factory (`openaiChat()`, `anthropic()`, ...) returns an object of this
 * type; it decodes the vendor's responses and streams into batches and encodes results back into
 * the follow-up messages that vendor accepts. It never sends anything itself.
 *
 * @typeParam Response  the vendor's (non-streamed) response type
 * @typeParam StreamEvent  one event of the vendor's stream
 * @typeParam Request  the vendor's request parameters
 * @typeParam Message  one entry of the vendor's request history
 * @typeParam ToolDeclarations  what `tools()` returns, ready for the request
 * @typeParam Turn  the assistant turn kept in the batch
 * @typeParam RequestFields  what `requestOptions` returns: the exact fields, so spreading them
 *   into a vendor call keeps the SDK's overloads (streaming or not) intact
 * @typeParam Sent  what the application's `send` may return to `runToolLoop`: the response or its
 *   stream, or a wrapper `streamOf` unwraps (the legacy Google SDK's `{ stream, response }`)
 */
export interface ProviderAdapter<
  Response,
  StreamEvent,
  Request,
  Message,
  ToolDeclarations = unknown,
  Turn = unknown,
  RequestFields extends Partial<Request> = Partial<Request>,
  Sent = Response | AsyncIterable<StreamEvent>,
> {
  /** The adapter's name, also `ToolCallBatch.provider`: `openai-chat`, `anthropic`, ... */
  readonly provider: string;
  /** What the vendor protocol supports. */
  readonly capabilities: AdapterCapabilities;
  /**
   * The vendor SDK's names of its response and stream event types (`ChatCompletion`,
   * `ChatCompletionChunk`), for the message of an `UnexpectedResponseError`.
   */
  readonly responseTypes: { readonly response: string; readonly streamEvent: string };
  /**
   * True for a value shaped like the vendor's response: a cheap look at its shape, no validation,
   * enough to tell it from another vendor's response, an SDK's wrapper (`.withResponse()`,
   * `{ response }`) or a message taken out of it. `runToolLoop` refuses anything else `send`
   * returns with an `UnexpectedResponseError`, before an adapter trips over it.
   */
  isResponse(value: unknown): value is Response;
  /** True for a value shaped like one event of the vendor's stream, as `isResponse` for a response. */
  isStreamEvent(value: unknown): value is StreamEvent;
  /** The vendor's tool declarations for these tools. */
  tools(tools: readonly AnyTool[]): ToolDeclarations;
  /** The request fields that switch parallel calls on or off (empty where the vendor has no switch). */
  requestOptions(options: ParallelRequestOptions): RequestFields;
  /** Reads a response's tool calls as a batch. */
  toBatch(response: Response): ToolCallBatch<Turn>;
  /**
   * The messages to append to the history: the assistant turn verbatim, then the results in the
   * vendor's carrier. For a batch without calls (a final answer) it is the turn alone. Throws
   * `ResultMismatchError` unless there is one result per call, in order, and unless the batch is
   * this adapter's vendor's (`batch.provider`). A batch kept in a checkpoint (`BatchCheckpoint`'s
   * `batch`, whose turn the compiler knows only as `unknown`) is accepted as it is: its provider
   * is checked at run time.
   */
  toFollowUp(batch: ToolCallBatch<Turn> | ToolCallBatch, results: readonly ToolResult[]): Message[];
  /** A new assembler for one streamed turn. */
  createStreamAssembler(): StreamAssembler<StreamEvent, Turn>;
  /** The history a request carries: `messages` (Chat, Anthropic), `input` (Responses), `contents` (Gemini). */
  history(request: Request): Message[];
  /** A copy of the request carrying this history instead of its own. */
  withHistory(request: Request, history: readonly Message[]): Request;
  /**
   * A copy of the request declaring these tools, with the parallel switch set as `requestOptions`
   * would set it (merged with what the request already says, e.g. Anthropic's `tool_choice`).
   */
  withTools(
    request: Request,
    tools: readonly AnyTool[],
    options: { readonly parallel: boolean },
  ): Request;
  /**
   * The vendor stream inside what the application's `send` returned, for SDKs whose streaming call
   * returns a wrapper rather than an async iterable of events (the legacy Google SDK's
   * `{ stream, response }`), or `undefined` for a response. Without it, any async iterable counts
   * as the stream. `runToolLoop` calls it with whatever `send` returned.
   */
  streamOf?(value: Sent): AsyncIterable<StreamEvent> | undefined;
}
