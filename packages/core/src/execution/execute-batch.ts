import type { ToolCallBatch } from "../batch/tool-call.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolResultOf } from "../tools/tool-result-of.js";
import type { ToolSet } from "../tools/tool-set.js";
import { type ExecuteBatchOptions, openBatchRun } from "./execute-batch-options.js";

/**
 * Runs a batch of tool calls and resolves with exactly one result per call, in call order,
 * whatever fails: unknown tools, unparseable or invalid arguments, throwing, hanging or slow tools,
 * cancellation. Calls run side by side unless `parallel: false`, a barrier tool (`parallel: false`
 * on the tool), a shared lock key or the `concurrency` limit says otherwise. A batch that is not
 * `complete` (the turn was cut off) runs nothing: every call gets `not_executed`.
 *
 * It rejects only for programmer errors: an invalid option, or two tools of one name.
 *
 * With a list of defined tools the results are typed by it (see `ToolResultOf`): a success's
 * `name` narrows its `output` to that tool's output type.
 *
 * @example
 * const results = await executeBatch(batch, [weather, search], { concurrency: 4, timeoutMs: 10_000 });
 */
export function executeBatch<Tools extends readonly AnyTool[] | ToolSet>(
  batch: ToolCallBatch,
  tools: Tools,
  options: ExecuteBatchOptions = {},
): Promise<ToolResultOf<Tools>[]> {
  try {
    // The run answers each call of a known tool with that tool's output (checked as JSON data).
    return openBatchRun(tools, options).finish(batch) as Promise<ToolResultOf<Tools>[]>;
  } catch (error) {
    return Promise.reject(error);
  }
}
