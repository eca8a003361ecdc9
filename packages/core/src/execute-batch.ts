import { BatchRun, type RunnableCall } from "./batch-run.js";
import type { AnyTool, LockKeys } from "./define-tool.js";
import { describeIssues, describeThrown } from "./describe-failure.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import type { ExecutionEvent } from "./execution-events.js";
import type { StandardSchemaResult } from "./standard-schema.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import { type ToolResult, toolFailure } from "./tool-result.js";
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
  let run: BatchRun;
  let toolSet: ToolSet;
  let timeoutMs: number | undefined;
  try {
    toolSet = createToolSet(tools);
    timeoutMs = checkTimeout(options.timeoutMs);
    run = new BatchRun(batch, {
      concurrency: checkConcurrency(options.concurrency),
      signal: options.signal,
      emit: options.onEvent ? guard(options.onEvent) : undefined,
    });
  } catch (error) {
    return Promise.reject(error);
  }
  if (batch.calls.length === 0) return run.done;
  if (!batch.complete) {
    run.skipRest("the turn was cut off before every call was complete, so no call ran");
    return run.done;
  }
  if (!run.watchSignal()) return run.done;

  // Validate every call first: lock keys are computed from validated input.
  const prepared: Array<RunnableCall | undefined> = new Array(batch.calls.length);
  let pending: Promise<void>[] | undefined;
  const barrierAll = options.parallel === false;
  const accept = (index: number, tool: AnyTool, outcome: StandardSchemaResult<unknown>) => {
    if (run.isSettled(index)) return;
    const call = batch.calls[index] as ToolCall;
    if (outcome.issues) {
      run.settle(
        index,
        toolFailure(call, "invalid_input", describeIssues(call.name, outcome.issues)),
      );
      return;
    }
    let keys: readonly string[];
    try {
      keys = tool.lock ? normalizeKeys(tool.lock(outcome.value as never)) : [];
    } catch (thrown) {
      run.settle(index, failed(call, `its lock function threw: ${describeThrown(thrown)}`, thrown));
      return;
    }
    const entry: RunnableCall = {
      index,
      call,
      tool,
      input: outcome.value,
      barrier: barrierAll || !tool.parallel,
      keys,
      timeoutMs: tool.timeoutMs ?? timeoutMs,
    };
    prepared[index] = entry;
  };

  batch.calls.forEach((call, index) => {
    const tool = toolSet.get(call.name);
    if (!tool) {
      run.settle(index, toolFailure(call, "unknown_tool", describeUnknown(call.name, toolSet)));
      return;
    }
    if (call.inputError !== undefined) {
      run.settle(index, toolFailure(call, "invalid_input", call.inputError));
      return;
    }
    let outcome: ReturnType<AnyTool["validate"]>;
    try {
      outcome = tool.validate(call.input);
    } catch (thrown) {
      run.settle(
        index,
        failed(call, `its input validator threw: ${describeThrown(thrown)}`, thrown),
      );
      return;
    }
    if (outcome instanceof Promise) {
      pending ??= [];
      pending.push(
        outcome.then(
          (settled) => accept(index, tool, settled),
          (thrown) => {
            run.settle(
              index,
              failed(call, `its input validator threw: ${describeThrown(thrown)}`, thrown),
            );
          },
        ),
      );
    } else {
      accept(index, tool, outcome);
    }
  });

  const schedule = () =>
    run.schedule(prepared.filter((entry): entry is RunnableCall => entry !== undefined));
  if (pending) void Promise.all(pending).then(schedule);
  else schedule();
  return run.done;
}

function failed(call: ToolCall, why: string, thrown: unknown): ToolResult {
  return toolFailure(call, "execution_failed", `Tool "${call.name}" failed: ${why}`, thrown);
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
