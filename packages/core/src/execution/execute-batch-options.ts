import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { AnyTool } from "../tools/define-tool.js";
import { createToolSet, type ToolSet } from "../tools/tool-set.js";
import { type BatchRun, createBatchRun } from "./batch-run.js";
import type { ExecutionEvent } from "./execution-events.js";

/** Options of {@link executeBatch} and {@link startBatchExecution}. */
export interface ExecuteBatchOptions {
  /** False runs one call at a time, in batch order. Default true. */
  parallel?: boolean;
  /** The most calls running at once; a positive integer or `Infinity` (the default). */
  concurrency?: number;
  /**
   * Time limit per call in milliseconds; a tool's own `timeoutMs` wins. Default: none. A call past
   * it is answered `timeout` on time and its signal is aborted. A tool that ignores its signal
   * keeps the call's lock keys, barrier and concurrency place until it really ends, so nothing
   * they exclude overlaps it; a call held up by it waits at most its own limit, then is answered
   * `not_executed` without having run. The batch never waits for such a tool.
   */
  timeoutMs?: number;
  /**
   * Cancels the batch: running calls end `aborted` (their signal is aborted) and calls not yet
   * started end `not_executed`. The results still hold one result per call. As after a timeout,
   * a tool may run on after its call was answered; `call-release` reports when it ends.
   */
  signal?: AbortSignal;
  /**
   * Receives the audit trail: `call-start`, `call-end` (one per call), `call-release` (a call
   * answered before its tool ended, when the tool ends: possibly after `batch-end`), `batch-end`.
   * Called synchronously; an exception it throws is swallowed so it cannot cost a call its result.
   */
  onEvent?: (event: ExecutionEvent) => void;
}

/**
 * Checks the options and opens a batch run on them. `startBatchExecution` wraps the run in its
 * call-order checks; `executeBatch` hands it the whole batch at once, where none of those checks
 * can fail, so it uses the run bare and its bundle carries none of them.
 * @internal
 */
export function openBatchRun(
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions,
): BatchRun {
  return createBatchRun(createToolSet(tools), {
    timeoutMs: checkTimeout(options.timeoutMs),
    concurrency: checkConcurrency(options.concurrency),
    signal: options.signal,
    emit: options.onEvent ? guard(options.onEvent) : undefined,
    serial: options.parallel === false,
  });
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
