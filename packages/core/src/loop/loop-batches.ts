import type { ToolCallBatch } from "../batch/tool-call.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { BatchOutcome } from "../resumable/batch-outcome.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolLoopCheckpoint, ToolLoopCheckpointFields } from "./tool-loop-checkpoint.js";

/** The executor's options for one step's batch, and which step it is. */
export interface LoopBatchOptions extends ExecuteBatchOptions {
  /** The step (0-based) the batch is the turn of. */
  readonly step: number;
}

/**
 * How `runToolLoop` runs each step's batch so that it can suspend on approvals and survive a
 * crash, and continues it: passed in as `batches` (`resumableBatches()` from `@toolbatch/core`),
 * so that a loop that never suspends does not bundle `runBatch`, `resumeBatch` and the checkpoint
 * code (issue 16). A queue executor is another implementation of it.
 */
export interface LoopBatches {
  /**
   * A step's batch as a checkpoint before anything of it ran: its batch id given, no results, no
   * ledger. The loop hands it to `onStep` before `run`, so that a crash while the batch runs can
   * be resumed from it.
   */
  open(batch: ToolCallBatch, step: number): BatchCheckpoint;
  /**
   * Runs a step's batch, opened by `open`, as `runBatch` does (under the checkpoint's batch id):
   * `suspended` when a call awaits a decision.
   */
  run(
    checkpoint: BatchCheckpoint,
    tools: readonly AnyTool[],
    options: LoopBatchOptions,
  ): Promise<BatchOutcome>;
  /**
   * Continues a step's batch from a checkpoint (suspended, or opened and cut off by a crash) with
   * decisions, as `resumeBatch` does: from the newest state its store holds.
   */
  resume(
    checkpoint: BatchCheckpoint,
    tools: readonly AnyTool[],
    options: LoopBatchOptions & { readonly decisions: readonly unknown[] },
  ): Promise<BatchOutcome>;
  /**
   * The loop's checkpoint from these fields with the schema version, read back as
   * `parseToolLoopCheckpoint` reads it, so what the loop hands out is what a resume will see.
   */
  writeCheckpoint(fields: ToolLoopCheckpointFields): ToolLoopCheckpoint;
  /**
   * Reads a value (parsed JSON) as a {@link ToolLoopCheckpoint}, as `parseToolLoopCheckpoint`
   * does, for the `provider` (the adapter's vendor) only: another vendor's is an
   * `InvalidCheckpointError` at `loopCheckpoint.provider`.
   */
  readCheckpoint(value: unknown, provider: string): ToolLoopCheckpoint;
}
