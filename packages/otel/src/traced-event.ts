import type { ExecutionEvent } from "@toolbatch/core";

/**
 * What the tracer receives: the executor's events, with the loop's `step` on them when they come
 * from `runToolLoop`. Every event the executor emits names its batch (`batchId`), which is how one
 * tracer follows batches running at once.
 */
export type TracedEvent = ExecutionEvent | (ExecutionEvent & { readonly step: number });

/** The event's loop step, if it came from `runToolLoop`. */
export function stepOf(event: TracedEvent): number | undefined {
  const step = (event as { readonly step?: unknown }).step;
  return typeof step === "number" ? step : undefined;
}

/**
 * Which batch the event belongs to: its `batchId`; else its loop step; else the one batch
 * without an id (events that carry none: approvals `runBatch` or `resumeBatch` tell outside the
 * executor, or a hand-made event).
 */
export function batchKeyOf(event: TracedEvent): string {
  if (typeof event.batchId === "string") return `id ${event.batchId}`;
  const step = stepOf(event);
  return step === undefined ? "" : `step ${step}`;
}
