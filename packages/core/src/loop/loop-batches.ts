import type { ToolCallBatch } from "../batch/tool-call.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { BatchOutcome } from "../resumable/batch-outcome.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolLoopCheckpoint } from "./tool-loop-checkpoint.js";

/** The executor's options for one step's batch, and which step it is. */
export interface LoopBatchOptions extends ExecuteBatchOptions {
  /** The step (0-based) the batch is the turn of. */
  readonly step: number;
}

/**
 * How `runToolLoop` runs a turn that may suspend on approvals, and continues it: passed in as
 * `batches` (`resumableBatches()` from `@toolbatch/core`), so that a loop that never suspends
 * does not bundle `runBatch`, `resumeBatch` and the checkpoint code (issue 16). A queue
 * executor is another implementation of it.
 */
export interface LoopBatches {
  /** Runs a step's batch as `runBatch` does: `suspended` when a call awaits a decision. */
  run(
    batch: ToolCallBatch,
    tools: readonly AnyTool[],
    options: LoopBatchOptions,
  ): Promise<BatchOutcome>;
  /** Continues a suspended step's batch with decisions, as `resumeBatch` does. */
  resume(
    checkpoint: BatchCheckpoint,
    tools: readonly AnyTool[],
    options: LoopBatchOptions & { readonly decisions: readonly unknown[] },
  ): Promise<BatchOutcome>;
  /**
   * The checkpoint of a loop stopped on a suspended step: these fields with the schema version,
   * read back as `parseToolLoopCheckpoint` reads it, so what the loop returns is what a
   * resume will see.
   */
  writeCheckpoint(fields: Omit<ToolLoopCheckpoint, "schemaVersion">): ToolLoopCheckpoint;
  /**
   * Reads a value (parsed JSON) as a {@link ToolLoopCheckpoint}, as `parseToolLoopCheckpoint`
   * does, for the `provider` (the adapter's vendor) only: another vendor's is an
   * `InvalidCheckpointError` at `loopCheckpoint.provider`.
   */
  readCheckpoint(value: unknown, provider: string): ToolLoopCheckpoint;
}
