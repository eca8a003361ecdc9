import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import { ResultMismatchError } from "../errors/result-mismatch-error.js";

/**
 * Checks that `results` hold exactly one result per call of `batch`, in call order, each naming
 * its call's id and tool. Every adapter's `toFollowUp` calls it before encoding anything.
 *
 * @param source the package that checks, for the error message (`toolbatch/openai`, ...).
 * @throws {ResultMismatchError} at the first result that does not match.
 */
export function assertResultsMatchBatch(
  batch: Pick<ToolCallBatch, "calls">,
  results: readonly ToolResult[],
  source = "toolbatch/core",
): void {
  const { calls } = batch;
  if (results.length !== calls.length) {
    throw new ResultMismatchError(
      `The batch has ${calls.length} call(s) but ${results.length} result(s) were given; every call needs exactly one result, in call order.`,
      -1,
      source,
    );
  }
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index] as (typeof calls)[number];
    const result = results[index] as ToolResult;
    if (result.callId !== call.id || result.name !== call.name) {
      throw new ResultMismatchError(
        `Result ${index} answers ${result.name} (${result.callId}) but call ${index} is ${call.name} (${call.id}); results must follow the calls' order.`,
        index,
        source,
      );
    }
  }
}
