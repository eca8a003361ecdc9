import type { ProviderAdapter } from "../adapter-kit/provider-adapter.js";
import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { startBatchExecution } from "../execution/batch-execution.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import { type ExecutionEvent, now } from "../execution/execution-events.js";
import type { AnyTool } from "../tools/define-tool.js";

/** Why `runToolLoop` stopped. */
export type ToolLoopStopReason =
  /** The model answered without calling tools. */
  | "done"
  /** `maxSteps` turns with tool calls ran; the history ends with their results. */
  | "max-steps"
  /** The last turn was cut off (length limit, paused turn, malformed call): its calls did not run. */
  | "incomplete"
  /** The signal aborted; the history ends with the aborted batch's results. */
  | "aborted";

/** One model turn of the loop and what ran for it. Times are epoch milliseconds. */
export interface ToolLoopStep<Turn = unknown, Message = unknown> {
  /** 0-based. */
  readonly index: number;
  /** The turn's calls. */
  readonly batch: ToolCallBatch<Turn>;
  /** One result per call, in call order (empty for a final answer). */
  readonly results: readonly ToolResult[];
  /** What the step appended to the history: the turn, then the results in the vendor's carrier. */
  readonly followUp: readonly Message[];
  /** When the request was sent. */
  readonly sentAt: number;
  /** When the response, or the end of its stream, arrived. */
  readonly receivedAt: number;
  /** When the last result was in. */
  readonly finishedAt: number;
  /** Whether the turn streamed (calls then started while it streamed). */
  readonly streamed: boolean;
}

/** Options of {@link runToolLoop}. */
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
   * vendor's stream (then each call starts the moment its arguments are complete).
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
  /** Stops the loop: running calls end `aborted`, the rest `not_executed`. */
  signal?: AbortSignal;
  /** The executor's events of every step, plus a `step` on each. */
  onEvent?: (event: ExecutionEvent & { readonly step: number }) => void;
}

/** What {@link runToolLoop} returns. */
export interface ToolLoopResult<Request, Message, Turn> {
  /** Why the loop stopped. */
  readonly stopReason: ToolLoopStopReason;
  /** The last assistant turn: the final answer when `stopReason` is `done`. */
  readonly finalTurn: Turn;
  /** The whole conversation in the vendor's message types: the first request's history, every turn and every result. */
  readonly history: Message[];
  /** The next request, carrying `history` (send it to continue). */
  readonly request: Request;
  /** Every model turn and what ran for it. */
  readonly steps: readonly ToolLoopStep<Turn, Message>[];
}

/**
 * Runs the tool loop with the application's own vendor client: declare the tools and the parallel
 * switch, send, read the calls, run them, append the follow-up, and repeat until the model stops
 * calling tools, a turn is cut off, the signal aborts or `maxSteps` turns ran. When `send` returns
 * the vendor's stream, calls start executing as soon as their arguments are complete.
 *
 * @example
 * const { history, finalTurn, stopReason } = await runToolLoop({
 *   adapter: openaiChat(), tools, request: { model, messages },
 *   send: (request) => client.chat.completions.create(request),
 * });
 */
export async function runToolLoop<Response, StreamEvent, Request, Message, Turn>(
  options: ToolLoopOptions<Response, StreamEvent, Request, Message, Turn>,
): Promise<ToolLoopResult<Request, Message, Turn>> {
  const { adapter, tools, send, signal, onEvent } = options;
  const parallel = options.parallel !== false;
  const maxSteps = options.maxSteps ?? 10;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new InvalidOptionError("maxSteps", maxSteps, "a positive integer");
  }
  const base = adapter.withTools(options.request, tools, { parallel });
  const history = [...adapter.history(options.request)];
  const steps: ToolLoopStep<Turn, Message>[] = [];
  for (let step = 0; ; step++) {
    const request = adapter.withHistory(base, history);
    const executeOptions: ExecuteBatchOptions = {
      parallel,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(signal ? { signal } : {}),
      ...(onEvent ? { onEvent: (event: ExecutionEvent) => onEvent({ ...event, step }) } : {}),
    };
    const sentAt = now();
    const answer = await send(request, { step, signal });
    const stream = adapter.streamOf ? adapter.streamOf(answer) : asStream<StreamEvent>(answer);
    const execution = startBatchExecution(tools, executeOptions);
    let batch: ToolCallBatch<Turn>;
    if (stream) {
      const assembler = adapter.createStreamAssembler();
      for await (const event of stream) {
        for (const call of assembler.push(event)) execution.add(call);
        if (signal?.aborted) break;
      }
      batch = assembler.finish();
    } else {
      batch = adapter.toBatch(answer as Response);
    }
    const receivedAt = now();
    const results = await execution.finish(batch);
    const followUp = adapter.toFollowUp(batch, results);
    history.push(...followUp);
    steps.push({
      index: step,
      batch,
      results,
      followUp,
      sentAt,
      receivedAt,
      finishedAt: now(),
      streamed: stream !== undefined,
    });

    const stopReason: ToolLoopStopReason | undefined = !batch.complete
      ? "incomplete"
      : batch.calls.length === 0
        ? "done"
        : signal?.aborted
          ? "aborted"
          : step + 1 >= maxSteps
            ? "max-steps"
            : undefined;
    if (stopReason) {
      return {
        stopReason,
        finalTurn: batch.turn,
        history,
        request: adapter.withHistory(base, history),
        steps,
      };
    }
  }
}

function asStream<Event>(value: unknown): AsyncIterable<Event> | undefined {
  return typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
    ? (value as AsyncIterable<Event>)
    : undefined;
}
