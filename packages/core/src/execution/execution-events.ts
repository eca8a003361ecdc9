import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";

/**
 * A call started running. Times are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), so a timeline can be drawn from them.
 */
export interface CallStartEvent {
  readonly type: "call-start";
  /** The call that started. */
  readonly call: ToolCall;
  /** The validated input `execute` received. */
  readonly input: unknown;
  /** When it started. */
  readonly time: number;
}

/** A call ended: every call of a batch gets exactly one, whether it ran or not. */
export interface CallEndEvent {
  readonly type: "call-end";
  /** The call that ended. */
  readonly call: ToolCall;
  /** Its result, identical to the one in the batch's results. */
  readonly result: ToolResult;
  /** When it started running, or `undefined` if it never ran (unknown tool, invalid input, cancelled). */
  readonly startTime: number | undefined;
  /** When it ended. */
  readonly time: number;
  /** How long it ran, in milliseconds; 0 if it never ran. */
  readonly durationMs: number;
}

/** Every call of the batch has its result. */
export interface BatchEndEvent {
  readonly type: "batch-end";
  /** The batch that ran. */
  readonly batch: ToolCallBatch;
  /** One result per call, in call order. */
  readonly results: readonly ToolResult[];
  /** When `executeBatch` was called. */
  readonly startTime: number;
  /** When the last result was in. */
  readonly time: number;
  /** Wall time of the whole batch, in milliseconds. */
  readonly durationMs: number;
}

/** The audit trail of a batch: which tool ran with what, when, and how it ended. */
export type ExecutionEvent = CallStartEvent | CallEndEvent | BatchEndEvent;

/** Current time as epoch milliseconds with sub-millisecond precision. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
