import { createBatchScheduler } from "./batch-scheduler.js";
import { findSerializationProblem } from "./check-serializable.js";
import type { AnyTool, LockKeys } from "./define-tool.js";
import { describeIssues, describeThrown } from "./describe-failure.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import { type ExecutionEvent, now } from "./execution-events.js";
import type { StandardSchemaResult } from "./standard-schema.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import { type ToolResult, toolFailure, toolSuccess } from "./tool-result.js";
import { createToolSet, type ToolSet } from "./tool-set.js";

/** Options of {@link executeBatch}. */
export interface ExecuteBatchOptions {
  /** False runs one call at a time, in batch order. Default true. */
  parallel?: boolean;
  /** The most calls running at once; a positive integer or `Infinity` (the default). */
  concurrency?: number;
  /** Time limit per call in milliseconds; a tool's own `timeoutMs` wins. Default: none. */
  timeoutMs?: number;
  /**
   * Cancels the batch: running calls end `aborted` (their signal is aborted) and calls not yet
   * started end `not_executed`. `executeBatch` still resolves with one result per call.
   */
  signal?: AbortSignal;
  /**
   * Receives the audit trail: `call-start`, `call-end` (one per call), `batch-end`. Called
   * synchronously; an exception it throws is swallowed so it cannot cost a call its result.
   */
  onEvent?: (event: ExecutionEvent) => void;
}

interface RunnableCall {
  /** Position in the batch; results are stored by it. */
  readonly index: number;
  readonly call: ToolCall;
  readonly tool: AnyTool;
  readonly input: unknown;
  readonly barrier: boolean;
  readonly keys: readonly string[];
  readonly timeoutMs: number | undefined;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

let neverAborted: AbortSignal | undefined;
// setTimeout fires at once for delays past 2^31 - 1 ms; longer limits mean no limit.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a batch of tool calls and resolves with exactly one result per call, in call order,
 * whatever fails: unknown tools, unparseable or invalid arguments, throwing, hanging or slow tools,
 * cancellation. Calls run side by side unless `parallel: false`, a barrier tool (`parallel: false`
 * on the tool), a shared lock key or the `concurrency` limit says otherwise.
 *
 * It rejects only for programmer errors: an invalid option, or two tools of one name.
 *
 * @example
 * const results = await executeBatch(batch, [weather, search], { concurrency: 4, timeoutMs: 10_000 });
 */
export function executeBatch(
  batch: ToolCallBatch,
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions = {},
): Promise<ToolResult[]> {
  try {
    return runBatch(batch, createToolSet(tools), options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function runBatch(
  batch: ToolCallBatch,
  toolSet: ToolSet,
  options: ExecuteBatchOptions,
): Promise<ToolResult[]> {
  const concurrency = checkConcurrency(options.concurrency);
  const batchTimeout = checkTimeout(options.timeoutMs);
  const { signal, onEvent } = options;
  const calls = batch.calls;
  const count = calls.length;
  const results: Array<ToolResult | undefined> = new Array(count);
  const emit = onEvent ? guard(onEvent) : undefined;
  const batchStart = emit ? now() : 0;
  const startTimes: Array<number | undefined> = [];
  const running = new Set<RunnableCall>();
  let remaining = count;
  let aborted = false;
  let resolveBatch: (results: ToolResult[]) => void = () => {};
  const done = new Promise<ToolResult[]>((resolve) => {
    resolveBatch = resolve;
  });

  const settle = (index: number, result: ToolResult): boolean => {
    if (results[index] !== undefined) return false;
    results[index] = result;
    remaining--;
    if (emit) {
      const time = now();
      const startTime = startTimes[index];
      emit({
        type: "call-end",
        call: calls[index] as ToolCall,
        result,
        startTime,
        time,
        durationMs: startTime === undefined ? 0 : time - startTime,
      });
    }
    if (remaining === 0) endBatch();
    return true;
  };

  const endBatch = () => {
    signal?.removeEventListener("abort", onAbort);
    const final = results as ToolResult[];
    if (emit) {
      const time = now();
      emit({
        type: "batch-end",
        batch,
        results: final,
        startTime: batchStart,
        time,
        durationMs: time - batchStart,
      });
    }
    resolveBatch(final);
  };

  const notExecuted = (index: number, why: string) => {
    const call = calls[index] as ToolCall;
    settle(index, toolFailure(call, "not_executed", `Tool "${call.name}" was not run: ${why}.`));
  };

  function onAbort() {
    if (aborted) return;
    aborted = true;
    const reason: unknown = signal?.reason;
    for (const entry of running) {
      clearTimeout(entry.timer);
      entry.controller?.abort(reason);
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
    running.clear();
    for (let index = 0; index < count; index++) {
      if (results[index] === undefined)
        notExecuted(index, "the batch was cancelled before it started");
    }
  }

  if (count === 0) {
    endBatch();
    return done;
  }
  if (!batch.complete) {
    for (let index = 0; index < count; index++) {
      notExecuted(index, "the turn was cut off before every call was complete, so no call ran");
    }
    return done;
  }
  if (signal?.aborted) {
    aborted = true;
    for (let index = 0; index < count; index++) {
      notExecuted(index, "the batch was cancelled before it started");
    }
    return done;
  }
  signal?.addEventListener("abort", onAbort, { once: true });

  // Validate every call first: lock keys are computed from validated input.
  const prepared: Array<RunnableCall | undefined> = new Array(count);
  const pending: Promise<void>[] = [];
  const accept = (index: number, tool: AnyTool, outcome: StandardSchemaResult<unknown>) => {
    const call = calls[index] as ToolCall;
    if (results[index] !== undefined) return;
    if (outcome.issues) {
      settle(index, toolFailure(call, "invalid_input", describeIssues(call.name, outcome.issues)));
      return;
    }
    let keys: readonly string[];
    try {
      keys = tool.lock ? normalizeKeys(tool.lock(outcome.value as never)) : [];
    } catch (thrown) {
      settle(
        index,
        toolFailure(
          call,
          "execution_failed",
          `Tool "${call.name}" failed: its lock function threw: ${describeThrown(thrown)}`,
          thrown,
        ),
      );
      return;
    }
    prepared[index] = {
      index,
      call,
      tool,
      input: outcome.value,
      barrier: options.parallel === false || !tool.parallel,
      keys,
      timeoutMs: tool.timeoutMs ?? batchTimeout,
    };
  };
  const rejectValidation = (index: number, thrown: unknown) => {
    const call = calls[index] as ToolCall;
    settle(
      index,
      toolFailure(
        call,
        "execution_failed",
        `Tool "${call.name}" failed: its input validator threw: ${describeThrown(thrown)}`,
        thrown,
      ),
    );
  };

  calls.forEach((call, index) => {
    const tool = toolSet.get(call.name);
    if (!tool) {
      settle(index, toolFailure(call, "unknown_tool", describeUnknown(call.name, toolSet)));
      return;
    }
    if (call.inputError !== undefined) {
      settle(index, toolFailure(call, "invalid_input", call.inputError));
      return;
    }
    let outcome: ReturnType<AnyTool["validate"]>;
    try {
      outcome = tool.validate(call.input);
    } catch (thrown) {
      rejectValidation(index, thrown);
      return;
    }
    if (outcome instanceof Promise) {
      pending.push(
        outcome.then(
          (settled) => accept(index, tool, settled),
          (thrown) => rejectValidation(index, thrown),
        ),
      );
    } else {
      accept(index, tool, outcome);
    }
  });

  const schedule = () => {
    if (aborted || remaining === 0) return;
    const runnable = prepared.filter((entry): entry is RunnableCall => entry !== undefined);
    const scheduler = createBatchScheduler(runnable, concurrency);
    let pumping = false;
    let again = false;

    const release = (entry: RunnableCall, position: number) => {
      running.delete(entry);
      scheduler.finish(position);
      pump();
    };

    const start = (entry: RunnableCall, position: number) => {
      const { index, call, tool, input, timeoutMs } = entry;
      let toolSignal: AbortSignal;
      if (signal || timeoutMs !== undefined) {
        entry.controller = new AbortController();
        toolSignal = entry.controller.signal;
      } else {
        neverAborted ??= new AbortController().signal;
        toolSignal = neverAborted;
      }
      running.add(entry);
      if (emit) {
        const time = now();
        startTimes[index] = time;
        emit({ type: "call-start", call, input, time });
      }
      if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
        entry.timer = setTimeout(() => {
          const message = `Tool "${call.name}" did not finish within ${timeoutMs} ms and was stopped.`;
          const reason = new DOMException(message, "TimeoutError");
          if (settle(index, toolFailure(call, "timeout", message, reason))) {
            entry.controller?.abort(reason);
            // The call's slot and locks are released now; a tool that ignores its signal may
            // still be running, but the batch does not wait for it.
            release(entry, position);
          }
        }, timeoutMs);
      }
      let outcome: PromiseLike<unknown>;
      try {
        outcome = Promise.resolve(tool.execute(input as never, { call, signal: toolSignal }));
      } catch (thrown) {
        outcome = Promise.reject(thrown);
      }
      outcome.then(
        (output) => {
          if (results[index] !== undefined) return;
          clearTimeout(entry.timer);
          settle(index, checkOutput(call, output));
          release(entry, position);
        },
        (thrown: unknown) => {
          if (results[index] !== undefined) return;
          clearTimeout(entry.timer);
          settle(
            index,
            toolFailure(
              call,
              "execution_failed",
              `Tool "${call.name}" failed: ${describeThrown(thrown)}`,
              thrown,
            ),
          );
          release(entry, position);
        },
      );
    };

    const pump = () => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      do {
        again = false;
        for (const position of scheduler.take()) {
          if (aborted) break;
          start(runnable[position] as RunnableCall, position);
        }
      } while (again && !aborted);
      pumping = false;
    };
    pump();
  };

  if (pending.length === 0) schedule();
  else void Promise.all(pending).then(schedule);
  return done;
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

function describeUnknown(name: string, toolSet: ToolSet): string {
  const available = toolSet.names.length > 0 ? toolSet.names.join(", ") : "(none)";
  return `There is no tool named "${name}". Available tools: ${available}.`;
}

function normalizeKeys(keys: LockKeys): readonly string[] {
  if (keys === undefined || keys === null) return [];
  if (typeof keys === "string") return [keys];
  return [...new Set(keys)];
}

function checkConcurrency(value: number | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  throw new InvalidOptionError("concurrency", value, "a positive integer or Infinity");
}

function checkTimeout(value: number | undefined): number | undefined {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value === "number" && value > 0) return value;
  throw new InvalidOptionError("timeoutMs", value, "a positive number of milliseconds");
}

function guard(listener: (event: ExecutionEvent) => void): (event: ExecutionEvent) => void {
  return (event) => {
    try {
      listener(event);
    } catch {
      // A listener's failure must not cost a call its result; see ExecuteBatchOptions.onEvent.
    }
  };
}
