import type { ToolLoopStopCondition } from "./tool-loop-hooks.js";
import type { ToolLoopStep, ToolLoopStopReason } from "./tool-loop-result.js";

/**
 * Whether the loop stops after a finished step, and why: a turn cut off or without calls ends it;
 * then `stopWhen` (awaited) is asked, then `maxSteps` is looked at. `undefined`: it goes on.
 */
export async function loopStopReason<Turn, Message>(
  step: ToolLoopStep<Turn, Message>,
  steps: readonly ToolLoopStep<Turn, Message>[],
  maxSteps: number,
  stopWhen: ToolLoopStopCondition<Turn, Message> | undefined,
): Promise<Exclude<ToolLoopStopReason, "aborted" | "awaiting-approval"> | undefined> {
  const { batch } = step;
  if (!batch.complete) return "incomplete";
  if (batch.calls.length === 0) return "done";
  if (stopWhen && (await stopWhen({ step, steps })) === true) return "stopped";
  return step.index + 1 >= maxSteps ? "max-steps" : undefined;
}
