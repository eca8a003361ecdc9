import type { ToolCallBatch } from "../batch/tool-call.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import { TruncatedStreamError } from "../errors/truncated-stream-error.js";
import { UnexpectedResponseError } from "../errors/unexpected-response-error.js";
import { type BatchExecution, startBatchExecution } from "../execution/batch-execution.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import { now } from "../execution/execution-events.js";
import type { BatchOutcome } from "../resumable/batch-outcome.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { LoopBatches } from "./loop-batches.js";
import { ABORTED, closeStream, readTurnStream, unlessAborted } from "./read-turn-stream.js";
import type { ToolLoopOptions } from "./tool-loop-options.js";
import type { ToolLoopStep } from "./tool-loop-result.js";

/** What one step of the loop needs. */
export interface LoopTurnContext<Response, StreamEvent, Request, Message, Turn, Sent> {
  readonly adapter: ToolLoopOptions<Response, StreamEvent, Request, Message, Turn, Sent>["adapter"];
  readonly tools: readonly AnyTool[];
  readonly send: ToolLoopOptions<Response, StreamEvent, Request, Message, Turn, Sent>["send"];
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** The executor's options for this step; its signal is the step's own. */
  readonly execute: Omit<ExecuteBatchOptions, "signal">;
  /**
   * The loop's `batches`: given, the step's batch runs through it (`runBatch`) once the whole turn
   * arrived (not while it streams), and suspends on calls needing approval when there is no
   * `approve`.
   */
  readonly batches: LoopBatches | undefined;
  /**
   * With `batches`, called with the step's batch as opened (nothing of it ran yet) and the
   * step's times, before it runs; the batch does not run until it resolves (`onStep`).
   */
  readonly opened?: (batch: BatchCheckpoint, times: StepTimes) => void | PromiseLike<void>;
  /** Gets the turn's text as it arrives (see `runLoopTurn`). Never throws. */
  readonly text: (delta: string) => void;
}

/** When a step's request was sent and its answer arrived, and whether it streamed. */
export interface StepTimes {
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly streamed: boolean;
}

/** How one step of the loop ended. */
export type LoopTurnOutcome<Turn, Message> =
  /** The vendor ended the turn, every call has its result, and the follow-up is built. */
  | { readonly kind: "finished"; readonly step: ToolLoopStep<Turn, Message> }
  /**
   * The step failed: `send` threw, the stream threw or was cut, or an adapter could not read or
   * answer the turn. `step` is the turn as far as it arrived, with a result for each of its
   * calls, when any part of it arrived.
   */
  | {
      readonly kind: "failed";
      readonly error: unknown;
      readonly step?: ToolLoopStep<Turn, Message>;
    }
  /**
   * The caller's signal aborted before the vendor ended the turn: before the answer came, or
   * while it streamed (then `step` is the turn as far as it arrived, as for `failed`).
   */
  | { readonly kind: "aborted"; readonly step?: ToolLoopStep<Turn, Message> }
  /**
   * A call of the turn awaits approval: the rest of the turn ran (`runBatch`). `step` has the
   * turn, no results and no follow-up; `outcome` is the batch's checkpoint and pending requests.
   */
  | {
      readonly kind: "suspended";
      readonly step: ToolLoopStep<Turn, Message>;
      readonly outcome: Extract<BatchOutcome, { status: "suspended" }>;
    };

/**
 * Runs one step: sends the request, reads the response or its stream (each streamed call starts
 * as soon as it is complete), and answers every call. Whatever breaks off a streamed turn (the
 * stream throws, ends before the vendor ended the turn, or the signal aborts), the calls still
 * running are aborted and every call of it gets its result, so the step can report what ran.
 * The step never waits on `send` or the stream once the signal aborted.
 *
 * The turn's text goes to `context.text` as it arrives: each streamed event's (the assembler's
 * `textOf`), then, once the batch is read, what of `batch.text` was not told yet (all of it for a
 * turn not streamed or an assembler without `textOf`, the rest for a stream whose text came in
 * events `textOf` does not read), so the deltas of a turn always join to its text.
 */
export async function runLoopTurn<Response, StreamEvent, Request, Message, Turn, Sent>(
  context: LoopTurnContext<Response, StreamEvent, Request, Message, Turn, Sent>,
  request: Request,
  index: number,
): Promise<LoopTurnOutcome<Turn, Message>> {
  const { adapter, signal } = context;
  const sentAt = now();
  const streamOf = (value: unknown) =>
    adapter.streamOf ? adapter.streamOf(value as Sent) : asStream<StreamEvent>(value);
  let sent: unknown;
  let answer: unknown;
  try {
    sent = context.send(request, { step: index, signal });
    answer = await unlessAborted(sent, signal);
  } catch (error) {
    // An SDK given the signal rejects with its own abort error: the abort, all the same.
    return signal?.aborted ? { kind: "aborted" } : { kind: "failed", error };
  }
  if (answer === ABORTED) {
    // A stream that arrives after the abort is closed unread, through the adapter, which knows
    // what else its SDK hangs on it (the legacy Google SDK's `response` promise).
    Promise.resolve(sent).then(
      (late) => closeStream(streamOf(late)),
      () => {},
    );
    return { kind: "aborted" };
  }
  const stream = streamOf(answer);
  // What the types promise is checked too: a wrong answer fails here with a clear error, not as
  // a TypeError deep inside the adapter.
  if (!stream && !adapter.isResponse(answer)) {
    return { kind: "failed", error: unexpected(adapter, answer, false) };
  }
  // The step's own signal: it stops the step's calls when the turn breaks off, and follows the
  // caller's.
  const controller = new AbortController();
  const follow = () => controller.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener("abort", follow, { once: true });
  const execute = { ...context.execute, signal: controller.signal };
  let suspended: Extract<BatchOutcome, { status: "suspended" }> | undefined;
  const { batches } = context;
  const execution: BatchExecution = batches
    ? {
        // Nothing starts while the turn streams: runBatch takes the whole turn.
        add() {},
        async finish(batch) {
          const opened = batches.open(batch, index);
          // A turn that broke off runs nothing (its signal aborted): no state to hand out.
          if (context.opened && !execute.signal.aborted) {
            const times = { sentAt, receivedAt: now(), streamed: stream !== undefined };
            await context.opened(opened, times);
          }
          const outcome = await batches.run(opened, context.tools, { ...execute, step: index });
          if (outcome.status === "complete") return outcome.results;
          suspended = outcome;
          return [];
        },
      }
    : startBatchExecution(context.tools, execute);
  let told = "";
  const tell = (delta: string | undefined) => {
    if (!delta) return;
    told += delta;
    context.text(delta);
  };
  /** Tells what of the batch's text was not told yet, when what was told begins it. */
  const tellRest = ({ text }: ToolCallBatch<Turn>) => {
    if (text?.startsWith(told)) tell(text.slice(told.length));
  };
  const step = (
    batch: ToolCallBatch<Turn>,
    results: ToolLoopStep["results"],
    followUp: readonly Message[],
    receivedAt: number,
  ): ToolLoopStep<Turn, Message> => ({
    index,
    batch,
    results,
    followUp,
    sentAt,
    receivedAt,
    finishedAt: now(),
    streamed: stream !== undefined,
    text: batch.text,
    usage: batch.usage,
  });
  try {
    let batch: ToolCallBatch<Turn>;
    if (stream) {
      const assembler = adapter.createStreamAssembler();
      const read = await readTurnStream(stream, assembler, execution, signal, (event) => {
        if (!adapter.isStreamEvent(event)) throw unexpected(adapter, event, true);
        tell(assembler.textOf?.(event));
      });
      batch = assembler.finish();
      tellRest(batch);
      const receivedAt = now();
      // Why the turn broke off, if it did. A stream that ended without saying how the turn ended
      // was cut: assemblers report a stopReason only where the vendor sent one.
      const cause =
        read.end === "threw"
          ? { error: read.error }
          : read.end === "left"
            ? { error: signal?.reason }
            : !batch.complete && batch.stopReason === undefined
              ? { error: new TruncatedStreamError(adapter.provider) }
              : undefined;
      if (cause) {
        // Nothing more of a turn that broke off runs: calls still running end `aborted`, the
        // rest `not_executed`.
        controller.abort(cause.error);
        const cut = { ...batch, complete: false };
        const interrupted = step(cut, await execution.finish(cut), [], receivedAt);
        return signal?.aborted
          ? { kind: "aborted", step: interrupted }
          : { kind: "failed", error: cause.error, step: interrupted };
      }
    } else {
      batch = adapter.toBatch(answer as Response);
      tellRest(batch);
    }
    const receivedAt = now();
    const results = await execution.finish(batch);
    if (suspended) {
      return { kind: "suspended", step: step(batch, [], [], receivedAt), outcome: suspended };
    }
    let followUp: Message[];
    try {
      followUp = adapter.toFollowUp(batch, results);
    } catch (error) {
      return { kind: "failed", error, step: step(batch, results, [], receivedAt) };
    }
    return { kind: "finished", step: step(batch, results, followUp, receivedAt) };
  } catch (error) {
    // An adapter or the executor threw: stop whatever of the turn still runs.
    controller.abort(error);
    return { kind: "failed", error };
  } finally {
    signal?.removeEventListener("abort", follow);
  }
}

function unexpected(
  adapter: { readonly provider: string; readonly responseTypes: UnexpectedTypes },
  received: unknown,
  inStream: boolean,
): UnexpectedResponseError {
  return new UnexpectedResponseError(adapter.provider, adapter.responseTypes, received, inStream);
}

type UnexpectedTypes = ConstructorParameters<typeof UnexpectedResponseError>[1];

function asStream<Event>(value: unknown): AsyncIterable<Event> | undefined {
  return typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
    ? (value as AsyncIterable<Event>)
    : undefined;
}
