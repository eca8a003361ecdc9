import { createBatchRun } from "./batch-run.js";
import type { AnyTool } from "./define-tool.js";
import { BatchOrderError } from "./errors/batch-order-error.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import type { ExecutionEvent } from "./execution-events.js";
import type { ToolCall, ToolCallBatch } from "./tool-call.js";
import type { ToolResult } from "./tool-result.js";
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
  const run = openBatchRun(tools, options);
  const added: ToolCall[] = [];
  let finished = false;
  return {
    add(call) {
      if (finished) throw new BatchOrderError(added.length, "the execution is already finished");
      added.push(call);
      run.add(call);
    },
    finish(batch) {
      if (finished) {
        return Promise.reject(new BatchOrderError(added.length, "finish() was already called"));
      }
      finished = true;
      const index = added.findIndex((call, position) => {
        const expected = batch.calls[position];
        return !expected || expected.id !== call.id || expected.name !== call.name;
      });
      if (index === -1) return run.finish(batch);
      const call = added[index] as ToolCall;
      const expected = batch.calls[index];
      return Promise.reject(
        new BatchOrderError(
          index,
          `added ${call.name} (${call.id}), the batch has ${expected ? `${expected.name} (${expected.id})` : "no such call"}`,
        ),
      );
    },
  };
}

/**
 * A batch run with its options checked, for `executeBatch`, which hands it the whole batch at
 * once: none of `startBatchExecution`'s call-order checks can fail there, so none are bundled.
 * @internal
 */
export function openBatchRun(
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions,
): BatchExecution {
  return createBatchRun(
    createToolSet(tools),
    checkTimeout(options.timeoutMs),
    checkConcurrency(options.concurrency),
    options.signal,
    options.onEvent ? guard(options.onEvent) : undefined,
    options.parallel === false,
  );
}

function checkConcurrency(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (value === Infinity || (Number.isInteger(value) && value >= 1)) return value;
  throw new InvalidOptionError("concurrency", value, "a positive integer or Infinity");
}

function checkTimeout(value: number | undefined): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
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
