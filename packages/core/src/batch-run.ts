import { type BatchScheduler, createBatchScheduler } from "./batch-scheduler.js";
import { findSerializationProblem } from "./check-serializable.js";
import type { AnyTool, LockKeys, ToolExecuteContext } from "./define-tool.js";
import { describeIssues, describeThrown } from "./describe-failure.js";
import { type ExecutionEvent, now } from "./execution-events.js";
import type { StandardSchemaResult } from "./standard-schema.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import { type ToolResult, toolFailure, toolSuccess } from "./tool-result.js";
import type { ToolSet } from "./tool-set.js";

/**
 * One batch being run, as {@link createBatchRun} returns it: the two steps of `BatchExecution`
 * without its call-order checks, which the run leaves to its callers.
 */
export interface BatchRun {
  /** Adds the next call of the batch; it starts as soon as the batch's rules allow. */
  add(call: ToolCall): void;
  /** Ends the batch and resolves with one result per call, in call order. */
  finish(batch: ToolCallBatch): Promise<ToolResult[]>;
}

/** A call that passed validation and may run. */
interface RunnableCall {
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
  /** Position in the scheduler, once it joins it. */
  position?: number;
  /** Made when the tool first reads its signal; see `CallContext`. */
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

// setTimeout fires at once for delays past 2^31 - 1 ms; longer limits mean no limit. A literal,
// because bundlers keep `2 ** 31 - 1` in bundles that never run a batch.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs one batch: validates calls as they are added, schedules them, runs them, and collects
 * one result per call. Calls are added in batch order, all at once or one by one as a stream
 * completes them; the run ends once it is finished and every call has its result. Every path to
 * a result goes through `settle`, which keeps only the first result of a call, so a tool that
 * resolves after its timeout or an abort cannot overwrite what was reported.
 *
 * One closure, not a class: a minifier shortens its variables, never a class's property names,
 * and the state and the steps that share it were most of the executor's bundle. The settings come
 * as arguments, already checked, for the same reason.
 *
 * It trusts its caller: calls come in batch order and `finish` is called once, with the batch
 * they came from. `startBatchExecution` checks that for its callers; `executeBatch` adds no calls
 * before `finish`, so its bundle carries none of those checks.
 *
 * @param timeoutMs the batch's time limit per call; a tool's own wins.
 * @param serial true when every call is a barrier (`parallel: false` on the batch).
 * @param emit the guarded `onEvent`, if any.
 */
export function createBatchRun(
  tools: ToolSet,
  timeoutMs: number | undefined,
  concurrency: number,
  signal: AbortSignal | undefined,
  emit: ((event: ExecutionEvent) => void) | undefined,
  serial: boolean,
): BatchRun {
  const calls: ToolCall[] = [];
  const results: Array<ToolResult | undefined> = [];
  // Also marks a call as started (see skip), events or not.
  const startTimes: Array<number | undefined> = [];
  // Validated calls join the scheduler in batch order, even when a validator is asynchronous:
  // undefined while a call is validated, null once it will not run.
  const ready: Array<RunnableCall | null | undefined> = [];
  // Only a batch with a signal needs to find its running calls again.
  const running = signal ? new Set<RunnableCall>() : undefined;
  const startTime = emit ? now() : 0;
  let scheduler: BatchScheduler<RunnableCall> | undefined;
  let readyHead = 0;
  let settled = 0;
  let sealed: ToolCallBatch | undefined;
  let finished = false;
  let aborted = false;
  let anyScheduled = false;
  let pumping = false;
  let pumpAgain = false;
  let resolve: (results: ToolResult[]) => void;
  const done = new Promise<ToolResult[]>((settle) => {
    resolve = settle;
  });

  /** Records the first result of a call; later ones are ignored. */
  const settle = (index: number, result: ToolResult) => {
    if (results[index] !== undefined) return;
    results[index] = result;
    settled++;
    if (emit) {
      const time = now();
      const start = startTimes[index];
      emit({
        type: "call-end",
        call: calls[index] as ToolCall,
        result,
        startTime: start,
        time,
        durationMs: start === undefined ? 0 : time - start,
      });
    }
    endIfDone();
  };

  /** Resolves once the batch is finished and every call has its result. */
  const endIfDone = () => {
    if (!sealed || settled < calls.length) return;
    const batch = sealed;
    sealed = undefined;
    signal?.removeEventListener("abort", abort);
    if (emit) {
      const time = now();
      emit({
        type: "batch-end",
        batch,
        results: results as ToolResult[],
        startTime,
        time,
        durationMs: time - startTime,
      });
    }
    resolve(results as ToolResult[]);
  };

  /** Settles a call that will not run. */
  const drop = (index: number, result: ToolResult) => {
    ready[index] = null;
    settle(index, result);
  };

  /** Gives every registered call that has not started `not_executed`. */
  const skip = (why: string, cause?: unknown) => {
    calls.forEach((call, index) => {
      if (results[index] === undefined && startTimes[index] === undefined) {
        settle(index, notRun(call, why, cause));
      }
    });
  };

  // Listens once, and only while the signal had not aborted: it runs at most once.
  const abort = () => {
    aborted = true;
    const reason: unknown = (signal as AbortSignal).reason;
    for (const entry of running as Set<RunnableCall>) {
      clearTimeout(entry.timer);
      abortCall(entry, reason);
      const { call } = entry;
      settle(
        entry.index,
        toolFailure(
          call,
          "aborted",
          `Tool "${call.name}" was cancelled before it finished.`,
          reason,
        ),
      );
    }
    (running as Set<RunnableCall>).clear();
    // Every call still without a result has not started: a started one was running.
    skip("the batch was cancelled before it started", reason);
  };

  if (signal?.aborted) aborted = true;
  else signal?.addEventListener("abort", abort, { once: true });

  const prepare = (call: ToolCall) => {
    const index = calls.push(call) - 1;
    results.push(undefined);
    ready.push(undefined);
    if (aborted) {
      drop(index, notRun(call, "the batch was cancelled before it started"));
      return;
    }
    const tool = tools.get(call.name);
    if (!tool) {
      drop(index, toolFailure(call, "unknown_tool", describeUnknown(call.name, tools)));
      return;
    }
    if (call.inputError !== undefined) {
      drop(index, toolFailure(call, "invalid_input", call.inputError));
      return;
    }
    let outcome: ReturnType<AnyTool["validate"]>;
    try {
      outcome = tool.validate(call.input);
    } catch (thrown) {
      drop(index, failed(call, thrown, "its input validator threw: "));
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (settled) => {
          accept(index, tool, settled);
          flush();
        },
        (thrown: unknown) => {
          drop(index, failed(call, thrown, "its input validator threw: "));
          flush();
        },
      );
    } else {
      accept(index, tool, outcome);
    }
  };

  const accept = (index: number, tool: AnyTool, outcome: StandardSchemaResult<unknown>) => {
    const call = calls[index] as ToolCall;
    ready[index] = null;
    if (results[index] !== undefined) return;
    if (outcome.issues) {
      settle(index, toolFailure(call, "invalid_input", describeIssues(call.name, outcome.issues)));
      return;
    }
    let keys: readonly string[];
    try {
      keys = tool.lock ? normalizeKeys(tool.lock(outcome.value as never)) : [];
    } catch (thrown) {
      settle(index, failed(call, thrown, "its lock function threw: "));
      return;
    }
    ready[index] = {
      index,
      call,
      tool,
      input: outcome.value,
      barrier: serial || !tool.parallel,
      keys,
      timeoutMs: tool.timeoutMs ?? timeoutMs,
    };
  };

  /**
   * Schedules the validated calls at the head of `ready`, in batch order. When these are all the
   * batch's calls, nothing was scheduled before and nothing constrains them (no barrier, no lock,
   * no limit below their number), they start at once without scheduler bookkeeping: the common
   * case of a batch of independent calls.
   */
  const flush = () => {
    const entries: RunnableCall[] = [];
    while (readyHead < ready.length && ready[readyHead] !== undefined) {
      const entry = ready[readyHead++];
      // A call settled while an earlier one was still validating (a cut-off turn) never runs.
      if (entry && results[entry.index] === undefined) entries.push(entry);
    }
    if (!aborted && entries.length > 0) {
      // Only once the batch is finished and every call validated is the list the whole batch.
      const free =
        finished &&
        readyHead === ready.length &&
        !anyScheduled &&
        concurrency >= entries.length &&
        entries.every((entry) => !entry.barrier && entry.keys.length === 0);
      anyScheduled = true;
      if (free) {
        for (const entry of entries) {
          if (aborted) return;
          void start(entry);
        }
        return;
      }
      scheduler ??= createBatchScheduler(concurrency);
      for (const entry of entries) entry.position = scheduler.add(entry);
    }
    if (!scheduler) return;
    // Start what may start now; a flush while this loop runs (from an event listener) only asks
    // it to go round once more.
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    do {
      pumpAgain = false;
      for (const entry of (scheduler as BatchScheduler<RunnableCall>).take()) {
        if (aborted) break;
        if (results[entry.index] !== undefined) {
          // Skipped while it waited (the turn was cut off): free its place at once.
          (scheduler as BatchScheduler<RunnableCall>).finish(entry.position as number);
          pumpAgain = true;
          continue;
        }
        void start(entry);
      }
    } while (pumpAgain && !aborted);
    pumping = false;
  };

  /** Runs a call; it ends (see `end`) when the tool returns, throws or runs out of time. */
  const start = async (entry: RunnableCall) => {
    const { index, call, input, timeoutMs } = entry;
    running?.add(entry);
    const time = emit ? now() : 0;
    startTimes[index] = time;
    emit?.({ type: "call-start", call, input, time });
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      entry.timer = setTimeout(() => {
        const message = `Tool "${call.name}" did not finish within ${timeoutMs} ms and was stopped.`;
        const reason = new DOMException(message, "TimeoutError");
        // The call's slot and locks are released now; a tool that ignores its signal may still
        // be running, but the batch does not wait for it.
        end(entry, toolFailure(call, "timeout", message, reason), reason);
      }, timeoutMs);
    }
    let result: ToolResult;
    try {
      result = checkOutput(call, await entry.tool.execute(input as never, new CallContext(entry)));
    } catch (thrown) {
      result = failed(call, thrown, "");
    }
    end(entry, result);
  };

  /** Ends a running call with its result (a timeout also aborts its signal) and frees its place. */
  const end = (entry: RunnableCall, result: ToolResult, timeout?: DOMException) => {
    // A call that timed out or was cancelled already has its result.
    if (results[entry.index] !== undefined) return;
    clearTimeout(entry.timer);
    running?.delete(entry);
    // A batch that started without the scheduler never makes one: no call can join it later.
    scheduler?.finish(entry.position as number);
    settle(entry.index, result);
    if (timeout) abortCall(entry, timeout);
    if (scheduler) flush();
  };

  return {
    add(call) {
      prepare(call);
      flush();
    },
    finish(batch) {
      finished = true;
      const rest = batch.calls.slice(calls.length);
      if (!batch.complete) {
        // Complete calls that already run may finish; nothing else of a cut-off turn runs.
        for (const call of rest) {
          calls.push(call);
          results.push(undefined);
        }
        skip("the turn was cut off before every call was complete, so it did not run");
      } else {
        for (const call of rest) prepare(call);
        flush();
      }
      sealed = batch;
      endIfDone();
      return done;
    },
  };
}

/**
 * The context a tool's `execute` receives. Every call gets its own signal (tools add abort
 * listeners to it, fetch does, and a shared one would collect them forever), made only when the
 * tool reads it: most calls never do, and an AbortController per call is the executor's largest
 * fixed cost. A signal made after the call was aborted or timed out is made aborted.
 *
 * A class, not an object literal with a getter: V8 builds those on a slow path, per call.
 */
class CallContext implements ToolExecuteContext {
  // Declared only: class fields would be emitted as definitions in front of the constructor's.
  declare private readonly entry: RunnableCall;
  declare readonly call: ToolCall;
  constructor(entry: RunnableCall) {
    this.entry = entry;
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

/** The result of a call whose tool threw, or its validator or lock function (`why`). */
function failed(call: ToolCall, thrown: unknown, why: string): ToolResult {
  return toolFailure(
    call,
    "execution_failed",
    `Tool "${call.name}" failed: ${why}${describeThrown(thrown)}`,
    thrown,
  );
}

function notRun(call: ToolCall, why: string, cause?: unknown): ToolResult {
  return toolFailure(call, "not_executed", `Tool "${call.name}" was not run: ${why}.`, cause);
}

function describeUnknown(name: string, toolSet: ToolSet): string {
  const available = toolSet.names.length > 0 ? toolSet.names.join(", ") : "(none)";
  return `There is no tool named "${name}". Available tools: ${available}.`;
}

function normalizeKeys(keys: LockKeys): readonly string[] {
  if (keys === undefined || keys === null) return [];
  if (typeof keys === "string") return [keys];
  return [...new Set(keys)];
}
