import type { AccessRecord } from "../audit/access-record.js";
import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { ResourceWaitReason } from "../limits/resource-limiter.js";

/**
 * What every event carries: the batch run's id, the `batchId` its tools see, so that events of
 * batches running at once can be told apart. Every event the executor emits has it; only the
 * `approval-requested` and `approval-decided` events `runBatch` and `resumeBatch` tell for
 * approvals asked or decided outside the executor may lack it.
 */
export interface BatchEventFields {
  readonly batchId?: string;
}

/**
 * A batch run began, before any of its calls. `time` is the moment the run was opened, the
 * `startTime` of its `batch-end`.
 */
export interface BatchStartEvent extends BatchEventFields {
  readonly type: "batch-start";
  /**
   * The batch, when the run was given it whole (`executeBatch`, `runBatch`, `resumeBatch`);
   * absent when its calls arrive one by one (`startBatchExecution`, a streamed loop step), whose
   * `batch-end` carries it.
   */
  readonly batch?: ToolCallBatch;
  /** When the run began. */
  readonly time: number;
}

/**
 * A call started running. Times are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), so a timeline can be drawn from them.
 */
export interface CallStartEvent extends BatchEventFields {
  readonly type: "call-start";
  /** The call that started. */
  readonly call: ToolCall;
  /** Its tool's description (`gen_ai.tool.description` for tracing). */
  readonly description: string;
  /** The validated input `execute` received. */
  readonly input: unknown;
  /** When it started. */
  readonly time: number;
}

/**
 * A call ended: every call of a batch gets exactly one, whether it ran or not. It is the moment
 * the call was answered. For a `timeout` or `aborted` result that is not the moment its tool
 * ended: the tool may still be running, and keeps the call's lock keys, barrier and concurrency
 * place until it does, which a {@link CallReleaseEvent} reports.
 */
export interface CallEndEvent extends BatchEventFields {
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

/**
 * A call answered before its tool ended (its result is `timeout` or `aborted`) has really ended:
 * its tool's promise settled, and from this moment its lock keys, its barrier (`parallel: false`)
 * and its place under the concurrency limit are free. Until then nothing they exclude started,
 * so a timeline of `call-start` and `call-release` shows the hold without overlap. Each such call
 * gets exactly one, once its tool settles (never, if it never does), possibly after `batch-end`:
 * the batch resolves when every call is answered and does not wait for these tools.
 */
export interface CallReleaseEvent extends BatchEventFields {
  readonly type: "call-release";
  /** The call whose tool ended. */
  readonly call: ToolCall;
  /**
   * What the tool came to in the end, as a result: its output, or what it threw. The model never
   * sees it (it was answered by `call-end`), but an audit can: a write may have landed.
   */
  readonly outcome: ToolResult;
  /** When it started running. */
  readonly startTime: number;
  /** When its tool ended. */
  readonly time: number;
  /** How long its tool really ran, in milliseconds. */
  readonly durationMs: number;
}

/**
 * A call waits for approval (its tool's `needsApproval`): `approve` was asked. The call holds
 * nothing while it waits; calls after it run unless it orders them (a shared lock key, a barrier).
 * Every such call gets at most one {@link ApprovalDecidedEvent}: none when `approve` failed (the
 * call's `call-end` says how) or the batch was cancelled first.
 */
export interface ApprovalRequestedEvent extends BatchEventFields {
  readonly type: "approval-requested";
  /** The call waiting. */
  readonly call: ToolCall;
  /** The validated input it would run with. */
  readonly input: unknown;
  /** When `approve` was asked. */
  readonly time: number;
}

/**
 * A decision on a call that waited for approval came: approved calls go on to run (`call-start`
 * follows when the batch's rules allow), denied ones end `denied` without running.
 */
export interface ApprovalDecidedEvent extends BatchEventFields {
  readonly type: "approval-decided";
  /** The call decided. */
  readonly call: ToolCall;
  /** Whether it may run. */
  readonly approved: boolean;
  /** The reason given with a denial, if any. */
  readonly reason?: string;
  /** When `approve` was asked. */
  readonly requestTime: number;
  /** When the decision came. */
  readonly time: number;
  /** How long the call waited for it, in milliseconds (not counted against any time limit). */
  readonly durationMs: number;
}

/**
 * A call the batch's rules let start waits for the budget of a shared resource, or for a lock key
 * a call of another batch holds (the `limiter` option): told when it begins to wait, and again
 * when what it waits for changes. It holds nothing of the limiter meanwhile. Its `call-start`
 * tells when the budget came; if its time limit runs out first, its `call-end` (`not_executed`)
 * says so, and it never starts.
 */
export interface CallWaitEvent extends BatchEventFields {
  readonly type: "call-wait";
  /** The call waiting. */
  readonly call: ToolCall;
  /** The resource, or the lock key, it waits for. */
  readonly resource: string;
  /** Why: see {@link ResourceWaitReason}. */
  readonly reason: ResourceWaitReason;
  /** When it began to wait for it. */
  readonly time: number;
}

/** Every call of the batch has its result. */
export interface BatchEndEvent extends BatchEventFields {
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
  /**
   * What the batch did with data (which calls ran, on which categories, which sensitive
   * combinations it returned together): present when the executor's `audit` option is given.
   */
  readonly access?: AccessRecord;
}

/** The audit trail of a batch: which tool ran with what, when, and how it ended. */
export type ExecutionEvent =
  | BatchStartEvent
  | ApprovalRequestedEvent
  | ApprovalDecidedEvent
  | CallWaitEvent
  | CallStartEvent
  | CallEndEvent
  | CallReleaseEvent
  | BatchEndEvent;

/** Current time as epoch milliseconds with sub-millisecond precision. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The `call-end` of a call answered now; `startTime` undefined when it never ran. */
export function callEndEvent(
  call: ToolCall,
  result: ToolResult,
  startTime: number | undefined,
  batchId: string | undefined,
): CallEndEvent {
  const time = now();
  const durationMs = startTime === undefined ? 0 : time - startTime;
  return { type: "call-end", call, result, startTime, time, durationMs, batchId };
}

/** The `batch-end` of a batch whose last result came now. */
export function batchEndEvent(
  batch: ToolCallBatch,
  results: readonly ToolResult[],
  startTime: number,
  batchId: string | undefined,
  access?: AccessRecord | undefined,
): BatchEndEvent {
  const time = now();
  const durationMs = time - startTime;
  return {
    type: "batch-end",
    batch,
    results,
    startTime,
    time,
    durationMs,
    batchId,
    ...(access && { access }),
  } as BatchEndEvent;
}
