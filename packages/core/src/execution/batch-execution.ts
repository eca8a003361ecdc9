import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import { BatchOrderError } from "../errors/batch-order-error.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolResultOf } from "../tools/tool-result-of.js";
import type { ToolSet } from "../tools/tool-set.js";
import { type ExecuteBatchOptions, openBatchRun } from "./execute-batch-options.js";

/**
 * A batch whose calls arrive one by one, each starting as soon as it is complete and allowed.
 * `Result` is typed by the tool list `startBatchExecution` was given (see `ToolResultOf`).
 */
export interface BatchExecution<Result extends ToolResult = ToolResult> {
  /**
   * Adds the next call of the batch, in batch order (as a stream assembler's `push` reports them).
   * It starts as soon as the batch's rules allow: barriers, lock keys and the concurrency limit
   * hold exactly as they do for a whole batch.
   */
  add(call: ToolCall): void;
  /**
   * Ends the batch: adds the calls of `batch` not added yet and resolves with one result per
   * call, in call order. When the batch is incomplete (the turn was cut off), calls that have not
   * started get `not_executed`; calls already running finish.
   * @throws {BatchOrderError} (as a rejection) when the added calls are not the batch's first calls.
   */
  finish(batch: ToolCallBatch): Promise<Result[]>;
}

/**
 * Starts executing a batch before all of it is known: eager execution while a turn streams. Each
 * call runs the moment its arguments are complete, instead of when the turn ends.
 *
 * @example
 * const execution = startBatchExecution(tools, { timeoutMs: 10_000 });
 * for await (const event of stream) for (const call of assembler.push(event)) execution.add(call);
 * const results = await execution.finish(assembler.finish());
 */
export function startBatchExecution<Tools extends readonly AnyTool[] | ToolSet>(
  tools: Tools,
  options: ExecuteBatchOptions = {},
): BatchExecution<ToolResultOf<Tools>> {
  const run = openBatchRun(tools, options);
  const added: ToolCall[] = [];
  let finished = false;
  return {
    add(call) {
      if (finished) throw new BatchOrderError(added.length, "the execution is already finished");
      added.push(call);
      run.add(call);
    },
    finish(batch) {
      if (finished) {
        return Promise.reject(new BatchOrderError(added.length, "finish() was already called"));
      }
      finished = true;
      const index = added.findIndex((call, position) => {
        const expected = batch.calls[position];
        return !expected || expected.id !== call.id || expected.name !== call.name;
      });
      if (index === -1) return run.finish(batch) as Promise<ToolResultOf<Tools>[]>;
      const call = added[index] as ToolCall;
      const expected = batch.calls[index];
      return Promise.reject(
        new BatchOrderError(
          index,
          `added ${call.name} (${call.id}), the batch has ${expected ? `${expected.name} (${expected.id})` : "no such call"}`,
        ),
      );
    },
  };
}
