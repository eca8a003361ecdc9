import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import { ResultMismatchError } from "../errors/result-mismatch-error.js";

/**
 * Checks that `results` hold exactly one result per call of `batch`, in call order, each naming
 * its call's id and tool. Every adapter's `toFollowUp` calls it before encoding anything.
 *
 * @param source the package that checks, for the error message (`toolbatch/openai`, ...).
 * @param provider the `provider`(s) whose batches the adapter encodes (its own, and those of the
 *   same wire format): given, a batch of another provider is refused.
 * @throws {ResultMismatchError} at the first result that does not match.
 */
export function assertResultsMatchBatch(
  batch: Pick<ToolCallBatch, "calls"> & { readonly provider?: string },
  results: readonly ToolResult[],
  source = "toolbatch/core",
  provider?: string | readonly string[],
): void {
  // A batch another adapter read (or one kept in a checkpoint, whose turn the compiler no longer
  // knows) is encoded only by an adapter of its own wire format: another's turn would be echoed
  // as garbage the vendor refuses, or, worse, accepts.
  const own = typeof provider === "string" ? [provider] : provider;
  if (own !== undefined && !own.includes(batch.provider as string)) {
    throw new ResultMismatchError(
      `The batch was read by the ${JSON.stringify(batch.provider)} adapter; this adapter answers only batches of ${own.map((name) => JSON.stringify(name)).join(" or ")}. Use the adapter that read it.`,
      -1,
      source,
    );
  }
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
