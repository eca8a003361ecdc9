import { type BatchScheduler, createBatchScheduler } from "./batch-scheduler.js";
import { findSerializationProblem } from "./check-serializable.js";
import type { AnyTool } from "./define-tool.js";
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
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** What a run needs from the options, already checked. */
export interface RunSettings {
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly emit: ((event: ExecutionEvent) => void) | undefined;
}

// setTimeout fires at once for delays past 2^31 - 1 ms; longer limits mean no limit.
const MAX_TIMER_MS = 2 ** 31 - 1;
let neverAborted: AbortSignal | undefined;

/**
 * The state of one `executeBatch` call: the results as they settle, what runs, and the scheduler.
 * Every path to a result goes through `settle`, which takes only the first result of a call, so a
 * tool that resolves after its timeout or after an abort cannot overwrite what was reported.
 */
export class BatchRun {
  readonly done: Promise<ToolResult[]>;
  private readonly results: Array<ToolResult | undefined>;
  private readonly startTimes: Array<number | undefined> = [];
  private readonly startTime: number;
  private remaining: number;
  private aborted = false;
  // Only a batch with a signal needs to find its running calls again.
  private readonly running: Set<RunnableCall> | undefined;
  private scheduler: BatchScheduler | undefined;
  private runnable: readonly RunnableCall[] = [];
  private pumping = false;
  private pumpAgain = false;
  private resolve: (results: ToolResult[]) => void = () => {};
  private readonly onAbort = () => this.abort();

  constructor(
    private readonly batch: ToolCallBatch,
    private readonly settings: RunSettings,
  ) {
    const count = batch.calls.length;
    this.results = new Array(count);
    this.remaining = count;
    this.startTime = settings.emit ? now() : 0;
    this.running = settings.signal ? new Set() : undefined;
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    if (count === 0) this.end();
  }

  /** True once the call at `index` has its result. */
  isSettled(index: number): boolean {
    return this.results[index] !== undefined;
  }

  /** Records the first result of a call; later ones are ignored. Returns whether it was recorded. */
  settle(index: number, result: ToolResult): boolean {
    if (this.results[index] !== undefined) return false;
    this.results[index] = result;
    this.remaining--;
    const { emit } = this.settings;
    if (emit) {
      const time = now();
      const startTime = this.startTimes[index];
      emit({
        type: "call-end",
        call: this.batch.calls[index] as ToolCall,
        result,
        startTime,
        time,
        durationMs: startTime === undefined ? 0 : time - startTime,
      });
    }
    if (this.remaining === 0) this.end();
    return true;
  }

  /** Gives every call without a result `not_executed`, saying why. */
  skipRest(why: string): void {
    this.batch.calls.forEach((call, index) => {
      if (this.results[index] === undefined) {
        this.settle(
          index,
          toolFailure(call, "not_executed", `Tool "${call.name}" was not run: ${why}.`),
        );
      }
    });
  }

  /** Listens to the batch's signal; an already aborted signal skips everything. */
  watchSignal(): boolean {
    const { signal } = this.settings;
    if (!signal) return true;
    if (signal.aborted) {
      this.aborted = true;
      this.skipRest("the batch was cancelled before it started");
      return false;
    }
    signal.addEventListener("abort", this.onAbort, { once: true });
    return true;
  }

  /** Starts the validated calls, in batch order, as the scheduler allows. */
  schedule(runnable: readonly RunnableCall[]): void {
    if (this.aborted || this.remaining === 0) return;
    this.runnable = runnable;
    const free =
      this.settings.concurrency >= runnable.length &&
      runnable.every((entry) => !entry.barrier && entry.keys.length === 0);
    if (free) {
      // Nothing constrains the batch: start everything now, without scheduler bookkeeping.
      for (const entry of runnable) {
        if (this.aborted) return;
        this.start(entry, -1);
      }
      return;
    }
    this.scheduler = createBatchScheduler(runnable, this.settings.concurrency);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    do {
      this.pumpAgain = false;
      for (const position of (this.scheduler as BatchScheduler).take()) {
        if (this.aborted) break;
        this.start(this.runnable[position] as RunnableCall, position);
      }
    } while (this.pumpAgain && !this.aborted);
    this.pumping = false;
  }

  private start(entry: RunnableCall, position: number): void {
    const { index, call, input, timeoutMs } = entry;
    let signal: AbortSignal;
    if (this.settings.signal || timeoutMs !== undefined) {
      entry.controller = new AbortController();
      signal = entry.controller.signal;
    } else {
      neverAborted ??= new AbortController().signal;
      signal = neverAborted;
    }
    this.running?.add(entry);
    const { emit } = this.settings;
    if (emit) {
      const time = now();
      this.startTimes[index] = time;
      emit({ type: "call-start", call, input, time });
    }
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      entry.timer = setTimeout(() => this.timeOut(entry, position), timeoutMs);
    }
    void this.invoke(entry, signal, position);
  }

  private async invoke(entry: RunnableCall, signal: AbortSignal, position: number): Promise<void> {
    const { call } = entry;
    let result: ToolResult;
    try {
      result = checkOutput(call, await entry.tool.execute(entry.input as never, { call, signal }));
    } catch (thrown) {
      result = toolFailure(
        call,
        "execution_failed",
        `Tool "${call.name}" failed: ${describeThrown(thrown)}`,
        thrown,
      );
    }
    // A call that timed out or was cancelled already has its result.
    if (this.results[entry.index] !== undefined) return;
    clearTimeout(entry.timer);
    this.settle(entry.index, result);
    this.release(entry, position);
  }

  private timeOut(entry: RunnableCall, position: number): void {
    const { call, timeoutMs } = entry;
    const message = `Tool "${call.name}" did not finish within ${timeoutMs} ms and was stopped.`;
    const reason = new DOMException(message, "TimeoutError");
    if (!this.settle(entry.index, toolFailure(call, "timeout", message, reason))) return;
    entry.controller?.abort(reason);
    // The call's slot and locks are released now; a tool that ignores its signal may still be
    // running, but the batch does not wait for it.
    this.release(entry, position);
  }

  private release(entry: RunnableCall, position: number): void {
    this.running?.delete(entry);
    if (this.scheduler && position >= 0) {
      this.scheduler.finish(position);
      this.pump();
    }
  }

  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const reason: unknown = this.settings.signal?.reason;
    for (const entry of this.running ?? []) {
      clearTimeout(entry.timer);
      entry.controller?.abort(reason);
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
    this.running?.clear();
    this.skipRest("the batch was cancelled before it started");
  }

  private end(): void {
    this.settings.signal?.removeEventListener("abort", this.onAbort);
    const results = this.results as ToolResult[];
    const { emit } = this.settings;
    if (emit) {
      const time = now();
      emit({
        type: "batch-end",
        batch: this.batch,
        results,
        startTime: this.startTime,
        time,
        durationMs: time - this.startTime,
      });
    }
    this.resolve(results);
  }
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
