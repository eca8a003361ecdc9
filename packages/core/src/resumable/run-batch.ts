import type { ToolCallBatch } from "../batch/tool-call.js";
import { BATCH_CHECKPOINT_SCHEMA_VERSION } from "../durable/batch-checkpoint.js";
import { parseBatchCheckpoint } from "../durable/parse-batch-checkpoint.js";
import { createBatchId } from "../execution/batch-id.js";
import { openBatchRun } from "../execution/execute-batch-options.js";
import type { AnyTool } from "../tools/define-tool.js";
import { createToolSet, type ToolSet } from "../tools/tool-set.js";
import { createBatchLedger } from "./batch-ledger.js";
import type { BatchOutcome, RunBatchOptions } from "./batch-outcome.js";
import { continueBatch, stateOf } from "./continue-batch.js";

/**
 * Runs a batch that may outlive this process: like `executeBatch`, but calls that need approval
 * (`needsApproval`) with no `approve` handler do not run; the rest of the batch does, then it
 * suspends: `{ status: "suspended", checkpoint, pending }`, the checkpoint plain JSON to keep
 * (and saved in `store`), `pending` the approval requests to show. `resumeBatch` continues it,
 * in any process, with the decisions. Calls the batch's rules order after a waiting call (a
 * shared lock key, a `parallel: false` tool) wait with it. Without anything pending it resolves
 * `{ status: "complete", results, checkpoint }`, one result per call in call order.
 *
 * With a `store`, each call's "started" is saved before its tool runs and its outcome after, so
 * that after a crash `resumeBatch` never runs a call twice unseen (see `BatchCheckpoint.ledger`).
 *
 * @throws {BatchConflictError} (as a rejection) when another process saved the batch meanwhile
 *   (or already holds `batchId`): calls not started by then did not run; the store holds the truth.
 * @throws {InvalidOptionError} (as a rejection) for an invalid option, before anything is saved.
 * @throws {InvalidCheckpointError} (as a rejection) when the batch cannot be kept as a checkpoint
 *   (two calls share an id, an input is not JSON data).
 */
export async function runBatch(
  batch: ToolCallBatch,
  tools: readonly AnyTool[] | ToolSet,
  options: RunBatchOptions = {},
): Promise<BatchOutcome> {
  const toolSet = createToolSet(tools);
  const state = stateOf(
    parseBatchCheckpoint({
      schemaVersion: BATCH_CHECKPOINT_SCHEMA_VERSION,
      batchId: options.batchId ?? createBatchId(),
      batch,
      results: {},
      pending: [],
      ledger: {},
    }),
  );
  // Checks the options (InvalidOptionError) before the batch id is claimed: a run of no tools and
  // no signal, which holds nothing and is dropped.
  openBatchRun([], { ...options, signal: undefined });
  const ledger = createBatchLedger(state, options.store, 0);
  // Claims the batch id: a store that holds it already answers BatchConflictError.
  await ledger.save();
  return continueBatch(state, toolSet, options, ledger);
}
