import { createApprovalRequest } from "../approval/approval-request.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import { setField } from "../durable/read-checkpoint-fields.js";
import type { ApproveHandler } from "../execution/approval-gate.js";
import { openBatchRun } from "../execution/execute-batch-options.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import type { ToolSet } from "../tools/tool-set.js";
import { type BatchLedger, type BatchState, checkpointOf, recordedResult } from "./batch-ledger.js";
import type { BatchOutcome, RunBatchOptions } from "./batch-outcome.js";
import { planCalls } from "./plan-calls.js";

// The calls that reach the executor were approved by a decision, or their check said no approval
// is needed (see planCalls): the executor's gate, which asks again, lets them run.
const APPROVED: ApproveHandler = () => ({ approved: true });

/** Tells `onEvent`, as the executor does: what it throws is swallowed. */
function emit(options: RunBatchOptions, event: ExecutionEvent): void {
  try {
    options.onEvent?.(event);
  } catch {
    // A listener's failure must not cost the batch its outcome.
  }
}

/** A checkpoint's parts as a state to continue from (copies: the checkpoint is not changed). */
export function stateOf(checkpoint: BatchCheckpoint): BatchState {
  return {
    batchId: checkpoint.batchId,
    batch: checkpoint.batch,
    results: { ...checkpoint.results },
    ledger: { ...checkpoint.ledger },
    pending: [...checkpoint.pending],
  };
}

/**
 * Runs what can run of a batch's calls without a result, through the executor with `ledger`,
 * and saves the outcome: `runBatch` and `resumeBatch` end here. Calls awaiting approval, and the
 * calls the batch's rules order after them, are left for a later resume (see `planCalls`); with
 * an `approve` handler, the executor decides approvals in the process and nothing is left.
 *
 * @throws the ledger's first failed save (`BatchConflictError`: another process saved the batch),
 *   after every call that started has ended; calls not started by then were not run.
 */
export async function continueBatch(
  state: BatchState,
  tools: ToolSet,
  options: RunBatchOptions,
  ledger: BatchLedger,
  approved: ReadonlySet<string>,
): Promise<BatchOutcome> {
  const { store: _store, batchId: _batchId, signer, approve, ...execute } = options;
  const { batch, results } = state;
  let run = batch.calls.filter((call) => !Object.hasOwn(results, call.id));
  if (!approve && batch.complete && run.length > 0) {
    const plan = await planCalls(run, tools, {
      awaited: new Set(state.pending.map((request) => request.callId)),
      approved,
      serial: options.parallel === false,
      batchId: state.batchId,
    });
    run = plan.run;
    for (const { call, input } of plan.ask) {
      const request = await createApprovalRequest(call, state.batchId);
      state.pending.push(signer ? await signer.signRequest(request) : request);
      emit(options, { type: "approval-requested", call, input, time: Date.now() });
    }
    const order = new Map(batch.calls.map((call) => [call.id, call.index]));
    state.pending.sort((a, b) => (order.get(a.callId) ?? 0) - (order.get(b.callId) ?? 0));
  }
  if (run.length > 0) {
    const answered = await openBatchRun(
      tools,
      { ...execute, approve: approve ?? APPROVED },
      ledger,
    ).finish({ ...batch, calls: run });
    for (const result of answered) setField(results, result.callId, recordedResult(result));
  }
  await ledger.save().catch(() => {});
  if (ledger.failure) throw ledger.failure.error;
  const checkpoint = checkpointOf(state);
  if (checkpoint.pending.length > 0) {
    return { status: "suspended", checkpoint, pending: checkpoint.pending };
  }
  return {
    status: "complete",
    results: batch.calls.map((call) => results[call.id] as ToolResult),
    checkpoint,
  };
}
