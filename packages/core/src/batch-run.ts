import { type BatchScheduler, createBatchScheduler } from "./batch-scheduler.js";
import { findSerializationProblem } from "./check-serializable.js";
import type { AnyTool, ToolExecuteContext } from "./define-tool.js";
import { describeThrown } from "./describe-failure.js";
import { type ExecutionEvent, now } from "./execution-events.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import { type ToolResult, toolFailure, toolSuccess } from "./tool-result.js";

/** A call that passed validation and may run. */
export interface RunnableCall {
  /** Position in the batch; results are stored by it. */
  readonly index: number;
  readonly call: ToolCall;
  readonly tool: AnyTool;
  /** The validated input `execute` receives. */
  readonly input: unknown;
  /** True when the call must run alone (`parallel: false` on the tool or the batch). */
  readonly barrier: boolean;
  /** Lock keys from the tool's `lock`. */
  readonly keys: readonly string[];
  /** Time limit in milliseconds, if any. */
  readonly timeoutMs: number | undefined;
  /** Made when the tool first reads its signal; see `contextOf`. */
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
  /** Position in the scheduler, or -1 when started outside it. */
  position?: number;
}

/** What a run needs from the options, already checked. */
export interface RunSettings {
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly emit: ((event: ExecutionEvent) => void) | undefined;
}

// setTimeout fires at once for delays past 2^31 - 1 ms; longer limits mean no limit. A literal,
// because bundlers keep `2 ** 31 - 1` in bundles that never run a batch.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The state of one batch being executed: the results as they settle, what runs, and the
 * scheduler. Calls are registered in batch order, all at once or one by one as a stream completes
 * them; the run ends once it is sealed and every call has its result. Every path to a result
 * goes through `settle`, which keeps only the first result of a call, so a tool that resolves
 * after its timeout or an abort cannot overwrite what was reported.
 *
 * Its internals are `#private`, not TypeScript `private`: esbuild's minifier shortens `#names` but
 * never renames properties, and the long property names were ~15% of this class, minified.
 */
export class BatchRun {
  readonly done: Promise<ToolResult[]>;
  readonly #calls: ToolCall[] = [];
  readonly #results: Array<ToolResult | undefined> = [];
  readonly #startTimes: Array<number | undefined> = [];
  readonly #startTime: number;
  #settled = 0;
  #batch: ToolCallBatch | undefined;
  #aborted = false;
  // Only a batch with a signal needs to find its running calls again.
  readonly #running: Set<RunnableCall> | undefined;
  #scheduler: BatchScheduler | undefined;
  #anyScheduled = false;
  readonly #scheduled: RunnableCall[] = [];
  #pumping = false;
  #pumpAgain = false;
  #resolve: (results: ToolResult[]) => void = () => {};
  readonly #onAbort = () => this.#abort();
  readonly #settings: RunSettings;

  constructor(settings: RunSettings) {
    this.#settings = settings;
    this.#startTime = settings.emit ? now() : 0;
    this.#running = settings.signal ? new Set() : undefined;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** How many calls are registered. */
  get size(): number {
    return this.#calls.length;
  }

  /** The registered call at `index`. */
  callAt(index: number): ToolCall | undefined {
    return this.#calls[index];
  }

  /** Registers the next call of the batch; returns its index. */
  register(call: ToolCall): number {
    this.#calls.push(call);
    this.#results.push(undefined);
    return this.#calls.length - 1;
  }

  /** True once the call at `index` has its result. */
  isSettled(index: number): boolean {
    return this.#results[index] !== undefined;
  }

  /** True once the batch's signal has aborted. */
  get isAborted(): boolean {
    return this.#aborted;
  }

  /** Records the first result of a call; later ones are ignored. Returns whether it was recorded. */
  settle(index: number, result: ToolResult): boolean {
    if (this.#results[index] !== undefined) return false;
    this.#results[index] = result;
    this.#settled++;
    const { emit } = this.#settings;
    if (emit) {
      const time = now();
      const startTime = this.#startTimes[index];
      emit({
        type: "call-end",
        call: this.#calls[index] as ToolCall,
        result,
        startTime,
        time,
        durationMs: startTime === undefined ? 0 : time - startTime,
      });
    }
    this.#endIfDone();
    return true;
  }

  /** Gives every registered call that has not started `not_executed`. */
  skipWaiting(why: string): void {
    this.#calls.forEach((call, index) => {
      if (this.#results[index] === undefined && this.#startTimes[index] === undefined) {
        this.settle(
          index,
          toolFailure(call, "not_executed", `Tool "${call.name}" was not run: ${why}.`),
        );
      }
    });
  }

  /** No more calls will be registered: the run ends once every call has its result. */
  seal(batch: ToolCallBatch): void {
    this.#batch = batch;
    this.#endIfDone();
  }

  /** Listens to the batch's signal; an already aborted signal returns false. */
  watchSignal(): boolean {
    const { signal } = this.#settings;
    if (!signal) return true;
    if (signal.aborted) {
      this.#aborted = true;
      return false;
    }
    signal.addEventListener("abort", this.#onAbort, { once: true });
    return true;
  }

  /**
   * Schedules validated calls, in batch order. When these are all the batch's calls (`last`),
   * nothing was scheduled before and nothing constrains them (no barrier, no lock, no limit below
   * their number), they start at once without scheduler bookkeeping: the common case of a batch
   * of independent calls.
   */
  schedule(entries: readonly RunnableCall[], last: boolean): void {
    if (this.#aborted || entries.length === 0) return;
    const free =
      last &&
      !this.#anyScheduled &&
      this.#settings.concurrency >= entries.length &&
      entries.every((entry) => !entry.barrier && entry.keys.length === 0);
    this.#anyScheduled = true;
    if (free) {
      for (const entry of entries) {
        if (this.#aborted) return;
        entry.position = -1;
        this.#start(entry);
      }
      return;
    }
    this.#scheduler ??= createBatchScheduler(this.#settings.concurrency);
    for (const entry of entries) {
      entry.position = this.#scheduler.add(entry);
      this.#scheduled.push(entry);
    }
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    do {
      this.#pumpAgain = false;
      for (const position of (this.#scheduler as BatchScheduler).take()) {
        if (this.#aborted) break;
        const entry = this.#scheduled[position] as RunnableCall;
        if (this.#results[entry.index] !== undefined) {
          // Skipped while it waited (the turn was cut off): free its place at once.
          (this.#scheduler as BatchScheduler).finish(position);
          this.#pumpAgain = true;
          continue;
        }
        this.#start(entry);
      }
    } while (this.#pumpAgain && !this.#aborted);
    this.#pumping = false;
  }

  #start(entry: RunnableCall): void {
    const { index, call, input, timeoutMs } = entry;

    this.#running?.add(entry);
    // Also marks the call as started (see skipWaiting), events or not.
    const time = this.#settings.emit ? now() : 0;
    this.#startTimes[index] = time;
    this.#settings.emit?.({ type: "call-start", call, input, time });
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      entry.timer = setTimeout(() => this.#timeOut(entry), timeoutMs);
    }
    void this.#invoke(entry);
  }

  async #invoke(entry: RunnableCall): Promise<void> {
    const { call } = entry;
    let result: ToolResult;
    try {
      result = checkOutput(call, await entry.tool.execute(entry.input as never, contextOf(entry)));
    } catch (thrown) {
      result = toolFailure(
        call,
        "execution_failed",
        `Tool "${call.name}" failed: ${describeThrown(thrown)}`,
        thrown,
      );
    }
    // A call that timed out or was cancelled already has its result.
    if (this.#results[entry.index] !== undefined) return;
    clearTimeout(entry.timer);
    this.#release(entry);
    this.settle(entry.index, result);
    this.#pumpIfScheduled(entry);
  }

  #timeOut(entry: RunnableCall): void {
    const { call, timeoutMs } = entry;
    const message = `Tool "${call.name}" did not finish within ${timeoutMs} ms and was stopped.`;
    const reason = new DOMException(message, "TimeoutError");
    if (this.#results[entry.index] !== undefined) return;
    // The call's slot and locks are released now; a tool that ignores its signal may still be
    // running, but the batch does not wait for it.
    this.#release(entry);
    this.settle(entry.index, toolFailure(call, "timeout", message, reason));
    abortCall(entry, reason);
    this.#pumpIfScheduled(entry);
  }

  #release(entry: RunnableCall): void {
    this.#running?.delete(entry);
    if (this.#scheduler && entry.position !== undefined && entry.position >= 0) {
      this.#scheduler.finish(entry.position);
    }
  }

  #pumpIfScheduled(entry: RunnableCall): void {
    if (this.#scheduler && entry.position !== undefined && entry.position >= 0) this.#pump();
  }

  #abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    const reason: unknown = this.#settings.signal?.reason;
    for (const entry of this.#running ?? []) {
      clearTimeout(entry.timer);
      abortCall(entry, reason);
      const { call } = entry;
      this.settle(
        entry.index,
        toolFailure(
          call,
          "aborted",
          `Tool "${call.name}" was cancelled before it finished.`,
          reason,
        ),
      );
    }
    this.#running?.clear();
    this.#calls.forEach((call, index) => {
      if (this.#results[index] === undefined) {
        this.settle(
          index,
          toolFailure(
            call,
            "not_executed",
            `Tool "${call.name}" was not run: the batch was cancelled before it started.`,
            reason,
          ),
        );
      }
    });
  }

  #endIfDone(): void {
    if (!this.#batch || this.#settled < this.#calls.length) return;
    const batch = this.#batch;
    this.#batch = undefined;
    this.#settings.signal?.removeEventListener("abort", this.#onAbort);
    const results = this.#results as ToolResult[];
    const { emit } = this.#settings;
    if (emit) {
      const time = now();
      emit({
        type: "batch-end",
        batch,
        results,
        startTime: this.#startTime,
        time,
        durationMs: time - this.#startTime,
      });
    }
    this.#resolve(results);
  }
}

/**
 * The context a tool's `execute` receives. Every call gets its own signal (tools add abort
 * listeners to it, fetch does, and a shared one would collect them forever), made only when the
 * tool reads it: most calls never do, and an AbortController per call is the executor's largest
 * fixed cost. A signal made after the call was aborted or timed out is made aborted.
 */
function contextOf(entry: RunnableCall): ToolExecuteContext {
  return new CallContext(entry);
}

// A class, not an object literal with a getter: V8 builds those on a slow path, per call.
class CallContext implements ToolExecuteContext {
  readonly call: ToolCall;
  constructor(private readonly entry: RunnableCall) {
    this.call = entry.call;
  }
  get signal(): AbortSignal {
    this.entry.controller ??= new AbortController();
    return this.entry.controller.signal;
  }
}

/** Aborts a call's signal, making it first if the tool has not read it yet (it may still). */
function abortCall(entry: RunnableCall, reason: unknown): void {
  entry.controller ??= new AbortController();
  entry.controller.abort(reason);
}

function checkOutput(call: ToolCall, output: unknown): ToolResult {
  const problem = findSerializationProblem(output);
  if (problem === undefined) return toolSuccess(call, output);
  return toolFailure(
    call,
    "invalid_output",
    `Tool "${call.name}" returned a value that cannot be serialized as JSON (${problem}).`,
  );
}
