import { BatchRun, type RunnableCall } from "./batch-run.js";
import type { AnyTool, LockKeys } from "./define-tool.js";
import { describeIssues, describeThrown } from "./describe-failure.js";
import { BatchOrderError } from "./errors/batch-order-error.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import type { ExecutionEvent } from "./execution-events.js";
import type { StandardSchemaResult } from "./standard-schema.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import { type ToolResult, toolFailure } from "./tool-result.js";
import { createToolSet, type ToolSet } from "./tool-set.js";

/** Options of {@link executeBatch} and {@link startBatchExecution}. */
export interface ExecuteBatchOptions {
  /** False runs one call at a time, in batch order. Default true. */
  parallel?: boolean;
  /** The most calls running at once; a positive integer or `Infinity` (the default). */
  concurrency?: number;
  /** Time limit per call in milliseconds; a tool's own `timeoutMs` wins. Default: none. */
  timeoutMs?: number;
  /**
   * Cancels the batch: running calls end `aborted` (their signal is aborted) and calls not yet
   * started end `not_executed`. The results still hold one result per call.
   */
  signal?: AbortSignal;
  /**
   * Receives the audit trail: `call-start`, `call-end` (one per call), `batch-end`. Called
   * synchronously; an exception it throws is swallowed so it cannot cost a call its result.
   */
  onEvent?: (event: ExecutionEvent) => void;
}

/** A batch whose calls arrive one by one, each starting as soon as it is complete and allowed. */
export interface BatchExecution {
  /**
   * Adds the next call of the batch, in batch order (as a stream assembler's `push` reports them).
   * It starts as soon as the batch's rules allow: barriers, lock keys and the concurrency limit
   * hold exactly as they do for a whole batch.
   */
  add(call: ToolCall): void;
  /**
   * Ends the batch: adds the calls of `batch` not added yet and resolves with one result per
   * call, in call order. When the batch is incomplete (the turn was cut off), calls that have not
   * started get `not_executed`; calls already running finish.
   * @throws {BatchOrderError} (as a rejection) when the added calls are not the batch's first calls.
   */
  finish(batch: ToolCallBatch): Promise<ToolResult[]>;
}

/**
 * Starts executing a batch before all of it is known: eager execution while a turn streams. Each
 * call runs the moment its arguments are complete, instead of when the turn ends.
 *
 * @example
 * const execution = startBatchExecution(tools, { timeoutMs: 10_000 });
 * for await (const event of stream) for (const call of assembler.push(event)) execution.add(call);
 * const results = await execution.finish(assembler.finish());
 */
export function startBatchExecution(
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions = {},
): BatchExecution {
  const toolSet = createToolSet(tools);
  const timeoutMs = checkTimeout(options.timeoutMs);
  const run = new BatchRun({
    concurrency: checkConcurrency(options.concurrency),
    signal: options.signal,
    emit: options.onEvent ? guard(options.onEvent) : undefined,
  });
  const live = run.watchSignal();
  const barrierAll = options.parallel === false;
  // Validated calls join the scheduler in batch order, even when a validator is asynchronous.
  const ready: Array<RunnableCall | null | undefined> = [];
  let readyHead = 0;
  let finished = false;

  const flush = () => {
    const entries: RunnableCall[] = [];
    while (readyHead < ready.length && ready[readyHead] !== undefined) {
      const entry = ready[readyHead++];
      if (entry) entries.push(entry);
    }
    // Only once the batch is finished and every call validated is the list the whole batch.
    run.schedule(entries, finished && readyHead === ready.length);
  };

  const accept = (index: number, tool: AnyTool, outcome: StandardSchemaResult<unknown>) => {
    const call = run.callAt(index) as ToolCall;
    ready[index] = null;
    if (run.isSettled(index)) return;
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
    ready[index] = {
      index,
      call,
      tool,
      input: outcome.value,
      barrier: barrierAll || !tool.parallel,
      keys,
      timeoutMs: tool.timeoutMs ?? timeoutMs,
    };
  };

  const prepare = (call: ToolCall): void => {
    const index = run.register(call);
    ready.push(undefined);
    if (!live || run.isAborted) {
      ready[index] = null;
      run.settle(
        index,
        toolFailure(
          call,
          "not_executed",
          `Tool "${call.name}" was not run: the batch was cancelled before it started.`,
        ),
      );
      return;
    }
    const tool = toolSet.get(call.name);
    if (!tool) {
      ready[index] = null;
      run.settle(index, toolFailure(call, "unknown_tool", describeUnknown(call.name, toolSet)));
      return;
    }
    if (call.inputError !== undefined) {
      ready[index] = null;
      run.settle(index, toolFailure(call, "invalid_input", call.inputError));
      return;
    }
    let outcome: ReturnType<AnyTool["validate"]>;
    try {
      outcome = tool.validate(call.input);
    } catch (thrown) {
      ready[index] = null;
      run.settle(
        index,
        failed(call, `its input validator threw: ${describeThrown(thrown)}`, thrown),
      );
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (settled) => {
          accept(index, tool, settled);
          flush();
        },
        (thrown: unknown) => {
          ready[index] = null;
          run.settle(
            index,
            failed(call, `its input validator threw: ${describeThrown(thrown)}`, thrown),
          );
          flush();
        },
      );
    } else {
      accept(index, tool, outcome);
    }
  };

  return {
    add(call) {
      if (finished) throw new BatchOrderError(run.size, "the execution is already finished");
      prepare(call);
      flush();
    },
    finish(batch) {
      if (finished)
        return Promise.reject(new BatchOrderError(run.size, "finish() was already called"));
      finished = true;
      for (let index = 0; index < run.size; index++) {
        const added = run.callAt(index) as ToolCall;
        const expected = batch.calls[index];
        if (!expected || expected.id !== added.id || expected.name !== added.name) {
          return Promise.reject(
            new BatchOrderError(
              index,
              `added ${added.name} (${added.id}), the batch has ${expected ? `${expected.name} (${expected.id})` : "no such call"}`,
            ),
          );
        }
      }
      if (!batch.complete) {
        // Complete calls that already run may finish; nothing else of a cut-off turn runs.
        for (const call of batch.calls.slice(run.size)) run.register(call);
        run.skipWaiting("the turn was cut off before every call was complete, so it did not run");
      } else {
        for (const call of batch.calls.slice(run.size)) prepare(call);
        flush();
      }
      run.seal(batch);
      return run.done;
    },
  };
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
