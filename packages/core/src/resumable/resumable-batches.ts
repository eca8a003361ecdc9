import type { ApprovalSigner } from "../approval/approval-signer.js";
import { BATCH_CHECKPOINT_SCHEMA_VERSION } from "../durable/batch-checkpoint.js";
import type { BatchStore } from "../durable/batch-store.js";
import { parseBatchCheckpoint } from "../durable/parse-batch-checkpoint.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { createBatchId } from "../execution/batch-id.js";
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
  store?: BatchStore | undefined;
  /** Signs the pending approval requests (`runBatch`'s `signer`); a resume needs the same one. */
  signer?: ApprovalSigner | undefined;
  /**
   * The id of a step's batch (the tools' `batchId`, the store's key): one per step, since a
   * store refuses an id it already holds. Default: a random UUID per step.
   */
  batchId?: ((step: number) => string) | undefined;
}

/**
 * Lets `runToolLoop` suspend on approvals and survive a crash (issue 16): pass `batches:
 * resumableBatches({ store })` and the loop runs each step's batch through `runBatch` (saved in
 * `store`, call by call); without `approve`, a call needing approval stops the loop
 * `awaiting-approval` with a checkpoint, and `resume` continues it through `resumeBatch`. With
 * `onStep`, a checkpoint of every step lets another process continue after a crash. Passed in
 * rather than built in, so that a loop that never suspends does not bundle this code.
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
    open: (batch, step) =>
      parseBatchCheckpoint({
        schemaVersion: BATCH_CHECKPOINT_SCHEMA_VERSION,
        batchId: batchId ? batchId(step) : createBatchId(),
        batch,
        results: {},
        pending: [],
        ledger: {},
      }),
    run: (checkpoint, tools, { step: _step, ...execute }) =>
      runBatch(checkpoint.batch, tools, { ...execute, ...kept, batchId: checkpoint.batchId }),
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
