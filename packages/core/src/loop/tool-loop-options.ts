import type { ProviderAdapter } from "../adapter-kit/provider-adapter.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import type { AnyTool } from "../tools/define-tool.js";

/** Options of `runToolLoop`. */
export interface ToolLoopOptions<Response, StreamEvent, Request, Message, Turn>
  extends Omit<ExecuteBatchOptions, "parallel" | "signal" | "onEvent"> {
  /** The vendor's adapter. */
  adapter: ProviderAdapter<Response, StreamEvent, Request, Message, unknown, Turn>;
  /** The tools the model may call. */
  tools: readonly AnyTool[];
  /** The first request, in the vendor's own type; its history is the conversation so far. */
  request: Request;
  /**
   * Sends one request with the application's own client and returns the response, or the
   * vendor's stream (then each call starts the moment its arguments are complete). Hand
   * `context.signal` to the SDK call so an abort also cancels the request; the loop itself never
   * waits on a request or a stream once the signal aborted.
   */
  send: (
    request: Request,
    context: { readonly step: number; readonly signal: AbortSignal | undefined },
  ) =>
    | Response
    | AsyncIterable<StreamEvent>
    | PromiseLike<Response | AsyncIterable<StreamEvent> | unknown>
    | unknown;
  /** Parallel calls (the vendor's switch, and the executor's). Default true. */
  parallel?: boolean;
  /** The most model turns with tool calls. Default 10. */
  maxSteps?: number;
  /**
   * Stops the loop at any moment, with `stopReason: "aborted"` (never a thrown error): nothing more
   * is sent, running calls end `aborted`, the rest `not_executed`. Aborted before the loop
   * starts, it sends nothing.
   */
  signal?: AbortSignal;
  /** The executor's events of every step, plus a `step` on each. */
  onEvent?: (event: ExecutionEvent & { readonly step: number }) => void;
}
