import type { ToolLoopStopCondition } from "./tool-loop-hooks.js";

/**
 * A `stopWhen` that stops the loop after a step in which one of these tools answered a call with
 * an output (`ok: true`), e.g. a `final_answer` tool. A call of it that failed (invalid input, a
 * denial, a timeout) does not stop the loop, so the model reads the error and can try again.
 *
 * @example
 * await runToolLoop({ adapter, tools, request, send, stopWhen: stopAfterTool("final_answer") });
 */
export function stopAfterTool(...names: readonly string[]): ToolLoopStopCondition {
  return ({ step }) => step.results.some((result) => result.ok && names.includes(result.name));
}
