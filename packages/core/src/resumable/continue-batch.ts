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

/**
 * The executor's `approve` when nothing decides in the process. The calls that reach the executor
 * were approved by a decision, or their check said no approval is needed when planned (see
 * planCalls); the executor's gate asks the check again, and lets an approved call run. A call the
 * check now says needs approval that no decision approved is not run: nobody was asked.
 */
function decidedBy(approved: Readonly<Record<string, unknown>>): ApproveHandler {
  return ({ callId }) =>
    Object.hasOwn(approved, callId)
      ? { approved: true }
      : {
          approved: false,
          reason:
            "its approval check (needsApproval) said it needed no approval when the batch was planned, then that it did; no one was asked",
        };
}

/** Tells `onEvent`, as the executor does: what it throws is swallowed. */
export function emit(options: RunBatchOptions, event: ExecutionEvent): void {
  try {
    options.onEvent?.(event);
  } catch {
    // A listener's failure must not cost the batch its outcome.
  }
}

function withoutApprovalEvents(
  onEvent: (event: ExecutionEvent) => void,
): (event: ExecutionEvent) => void {
  return (event) => {
    if (event.type !== "approval-requested" && event.type !== "approval-decided") onEvent(event);
  };
}

/** A checkpoint's parts as a state to continue from (copies: the checkpoint is not changed). */
export function stateOf(checkpoint: BatchCheckpoint): BatchState {
  return {
    batchId: checkpoint.batchId,
    batch: checkpoint.batch,
    results: { ...checkpoint.results },
    ledger: { ...checkpoint.ledger },
    pending: [...checkpoint.pending],
    approved: { ...checkpoint.approved },
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
): Promise<BatchOutcome> {
  const { store: _store, batchId: _batchId, signer, approve, ...execute } = options;
  const { batch, results } = state;
  let run = batch.calls.filter((call) => !Object.hasOwn(results, call.id));
  if (!approve && batch.complete && run.length > 0) {
    const plan = await planCalls(run, tools, {
      awaited: new Set(state.pending.map((request) => request.callId)),
      approved: new Set(Object.keys(state.approved)),
      serial: options.parallel === false,
      batchId: state.batchId,
    });
    run = plan.run;
    for (const { call, input } of plan.ask) {
      const time = Date.now();
      const request = { ...(await createApprovalRequest(call, state.batchId)), requestedAt: time };
      state.pending.push(signer ? await signer.signRequest(request) : request);
      emit(options, { type: "approval-requested", batchId: state.batchId, call, input, time });
    }
    const order = new Map(batch.calls.map((call) => [call.id, call.index]));
    state.pending.sort((a, b) => (order.get(a.callId) ?? 0) - (order.get(b.callId) ?? 0));
  }
  if (run.length > 0) {
    // Without `approve`, the approvals were asked and decided outside the executor, and told to
    // onEvent there: its gate's events for the answers of `decidedBy` would tell them twice.
    const { onEvent } = execute;
    const events = approve || !onEvent ? {} : { onEvent: withoutApprovalEvents(onEvent) };
    const answered = await openBatchRun(
      tools,
      { ...execute, ...events, approve: approve ?? decidedBy(state.approved) },
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
