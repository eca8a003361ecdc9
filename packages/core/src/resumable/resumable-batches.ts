import type { ApprovalSigner } from "../approval/approval-signer.js";
import type { BatchStore } from "../durable/batch-store.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import type { LoopBatches } from "../loop/loop-batches.js";
import {
  parseToolLoopCheckpoint,
  TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
} from "../loop/tool-loop-checkpoint.js";
import { resumeBatch } from "./resume-batch.js";
import { runBatch } from "./run-batch.js";

/** Options of {@link resumableBatches}: where the loop's batches are kept, and how. */
export interface ResumableBatchesOptions {
  /** Where each step's batch is saved, as `runBatch`'s `store`. Default: none (only returned). */
  store?: BatchStore;
  /** Signs the pending approval requests (`runBatch`'s `signer`); a resume needs the same one. */
  signer?: ApprovalSigner;
  /**
   * The id of a step's batch (the tools' `batchId`, the store's key): one per step, since a
   * store refuses an id it already holds. Default: a random UUID per step.
   */
  batchId?: (step: number) => string;
}

/**
 * Lets `runToolLoop` suspend on approvals (issue 16): pass `batches: resumableBatches()` and a loop
 * without `approve` whose tools may need approval runs each step's batch through `runBatch`,
 * stops `awaiting-approval` with a checkpoint, and `resume` continues it through `resumeBatch`.
 * Passed in rather than built in, so that a loop that never suspends does not bundle this code.
 *
 * @example
 * const batches = resumableBatches({ store });
 * const first = await runToolLoop({ adapter, tools, request, send, batches });
 * // later, in any process:
 * await runToolLoop({ adapter, tools, send, resume: checkpoint, decisions, batches });
 */
export function resumableBatches(options: ResumableBatchesOptions = {}): LoopBatches {
  const { store, signer, batchId } = options;
  const kept = { ...(store ? { store } : {}), ...(signer ? { signer } : {}) };
  return {
    run: (batch, tools, { step, ...execute }) =>
      runBatch(batch, tools, {
        ...execute,
        ...kept,
        ...(batchId ? { batchId: batchId(step) } : {}),
      }),
    resume: (checkpoint, tools, { step: _step, ...execute }) =>
      resumeBatch(checkpoint, tools, { ...execute, ...kept }),
    writeCheckpoint: (fields) =>
      parseToolLoopCheckpoint({ schemaVersion: TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION, ...fields }),
    readCheckpoint: (value, provider) => {
      const checkpoint = parseToolLoopCheckpoint(value);
      if (checkpoint.provider !== provider) {
        throw new InvalidCheckpointError(
          "loopCheckpoint.provider",
          `is ${JSON.stringify(checkpoint.provider)}, not the adapter's, ${JSON.stringify(provider)}`,
        );
      }
      return checkpoint;
    },
  };
}
