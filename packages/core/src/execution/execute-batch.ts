import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";
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
 * @example
 * const results = await executeBatch(batch, [weather, search], { concurrency: 4, timeoutMs: 10_000 });
 */
export function executeBatch(
  batch: ToolCallBatch,
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions = {},
): Promise<ToolResult[]> {
  try {
    return openBatchRun(tools, options).finish(batch);
  } catch (error) {
    return Promise.reject(error);
  }
}
