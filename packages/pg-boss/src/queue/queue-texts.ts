import { type ToolCall, type ToolResult, toolFailure } from "@toolbatch/core";

// The results the queue itself writes (the tool did not produce them), and the texts the model
// reads in them. Each says what is known, and no more.

/** A call whose attempt started on a worker that died (or lost its database) before its tool ended. */
export function outcomeUnknownOnWorker(call: Pick<ToolCall, "id" | "name">): ToolResult {
  return toolFailure(
    call,
    "outcome_unknown",
    `Tool "${call.name}" started on a worker that stopped before it finished, so its outcome was never recorded: what it does may or may not have taken effect. Check before calling it again.`,
  );
}

/** A call the coordinator cancelled (timeout, abort) before any worker started it. */
export function cancelledBeforeStart(call: Pick<ToolCall, "id" | "name">): ToolResult {
  return toolFailure(
    call,
    "not_executed",
    `Tool "${call.name}" was not run: the call was cancelled before a worker started it.`,
  );
}

/** A call whose worker has no tool of its name (workers and executor were given different tools). */
export function toolMissingOnWorker(call: Pick<ToolCall, "id" | "name">): ToolResult {
  return toolFailure(
    call,
    "not_executed",
    `Tool "${call.name}" was not run: the worker that took the call has no tool of that name.`,
  );
}

/** A call whose job the queue gave up on (failed, deleted) before any worker started it. */
export function abandonedByQueue(call: Pick<ToolCall, "id" | "name">, state: string): ToolResult {
  return toolFailure(
    call,
    "not_executed",
    `Tool "${call.name}" was not run: the job queue gave up on the call (its job is ${state}) before a worker started it.`,
  );
}
