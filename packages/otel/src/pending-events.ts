import type { ExecutionEvent, ToolCall, ToolCallBatch } from "@toolbatch/core";

// Events core does not emit yet, read through type guards so this package compiles (and does the
// right thing) before and after they land: a call waiting for a shared resource's budget (issue
// 19's rate limits), a batch announcing itself before its first call, and a batch id on events.

/** A call waits for a resource (a rate limit's budget, a lock): `call-wait { call, resource }`. */
export interface CallWaitEvent {
  readonly type: "call-wait";
  readonly call: ToolCall;
  readonly resource: string;
  readonly time?: number;
}

/** A batch starts, before any of its calls: `batch-start { batch, time }`. */
export interface BatchStartEvent {
  readonly type: "batch-start";
  readonly batch: ToolCallBatch;
  readonly time?: number;
}

/** What the tracer receives: the executor's events, a loop's `step` on them, and the pending ones. */
export type TracedEvent =
  | ExecutionEvent
  | (ExecutionEvent & { readonly step: number })
  | CallWaitEvent
  | BatchStartEvent;

const record = (event: unknown): Record<string, unknown> | undefined =>
  typeof event === "object" && event !== null ? (event as Record<string, unknown>) : undefined;

const isCall = (value: unknown): value is ToolCall =>
  typeof record(value)?.id === "string" && typeof record(value)?.name === "string";

/** Whether `event` is a `call-wait` with a call and a resource. */
export function isCallWaitEvent(event: unknown): event is CallWaitEvent {
  const fields = record(event);
  return fields?.type === "call-wait" && isCall(fields.call) && typeof fields.resource === "string";
}

/** Whether `event` is a `batch-start` with a batch. */
export function isBatchStartEvent(event: unknown): event is BatchStartEvent {
  const fields = record(event);
  return fields?.type === "batch-start" && Array.isArray(record(fields.batch)?.calls);
}

/** The event's loop step, if it came from `runToolLoop`. */
export function stepOf(event: unknown): number | undefined {
  const step = record(event)?.step;
  return typeof step === "number" ? step : undefined;
}

/** The event's batch id, once core puts one on its events. */
export function batchIdOf(event: unknown): string | undefined {
  const id = record(event)?.batchId;
  return typeof id === "string" ? id : undefined;
}

/** The event's time, or now where it has none. */
export function timeOf(event: unknown): number {
  const time = record(event)?.time;
  return typeof time === "number" ? time : performance.timeOrigin + performance.now();
}
