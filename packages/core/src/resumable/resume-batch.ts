import type { ApprovalRequest } from "../approval/approval-request.js";
import { createApprovalVerifier, type VerifiedApproval } from "../approval/approval-verifier.js";
import type { ToolCall } from "../batch/tool-call.js";
import { type ToolResult, toolFailure } from "../batch/tool-result.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import { parseBatchCheckpoint } from "../durable/parse-batch-checkpoint.js";
import { setField } from "../durable/read-checkpoint-fields.js";
import { ApprovalMismatchError } from "../errors/approval-mismatch-error.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { denied } from "../execution/call-failures.js";
import { checkExecuteBatchOptions } from "../execution/execute-batch-options.js";
import { createPresenter } from "../execution/present-result.js";
import type { AnyTool } from "../tools/define-tool.js";
import { createToolSet, type ToolSet } from "../tools/tool-set.js";
import { createBatchLedger, recordedResult } from "./batch-ledger.js";
import type { BatchOutcome, ResumeBatchOptions } from "./batch-outcome.js";
import { continueBatch, emit, stateOf } from "./continue-batch.js";
import { checkApprovalBindings } from "./kept-approvals.js";

/**
 * Continues a batch from its checkpoint (`runBatch`'s, or the last `resumeBatch`'s), in any
 * process: with a `store`, from the newest checkpoint it holds for the batch (a stale one passed
 * in is fine). First every decision is checked against its pending request; then
 * - a call with a recorded result never runs again;
 * - a call that started and has no result (the process running it died) is answered
 *   `outcome_unknown`, unless its tool is `idempotent`: then it runs again;
 * - approved calls run, denied ones are answered `denied`, undecided ones stay pending; an approved
 *   call that cannot run yet (it waits behind an undecided one) keeps its approval in the
 *   checkpoint (`approved`) and runs on a later resume without being asked again;
 * - each decision applied is told to `onEvent` as `approval-decided`, its `requestTime` when the
 *   call was first found to need approval (in whichever process that was);
 * - the calls not yet run run (a tool no longer in `tools` answers `unknown_tool`) with the tools
 *   of this process: a call's input is validated by its tool's schema now (one it refuses is
 *   answered `invalid_input` unrun, approved or not), and `needsApproval` is asked anew for a call
 *   neither pending nor approved (it may need approval now). An approval binds the arguments the
 *   model sent, which the request showed, so an approved call runs whatever its check says now.
 * - the failures it answers itself (`denied`, `outcome_unknown`) are mapped by the `errorText`
 *   option, as the executor's are; results kept in the checkpoint were mapped when answered, and
 *   keep their text.
 * It resolves like `runBatch`: `complete` with one result per call in call order, or `suspended`.
 *
 * @throws {InvalidOptionError} (as a rejection) for an invalid option, before anything is saved.
 * @throws {ApprovalMismatchError} (as a rejection, before anything runs or is saved) for a
 *   decision that is not for a pending call, is for other arguments, replayed, forged, or none.
 * @throws {BatchConflictError} (as a rejection) when another process saved the batch meanwhile:
 *   it owns the batch; nothing started here after that.
 * @throws {InvalidCheckpointError} (at `checkpoint.batchId`) when the store holds another batch
 *   (other calls) under the checkpoint's batch id, before anything runs.
 * @throws {InvalidCheckpointError} / {CheckpointVersionError} for a checkpoint that cannot be read,
 *   or whose approvals are not bound to its calls any more (a call's input changed after its
 *   approval was asked or given; see `BatchCheckpoint.approved`).
 * @throws {ApprovalMismatchError} (reason `signature`) with a signer, for a kept approval it did not
 *   sign.
 */
export async function resumeBatch(
  checkpoint: unknown,
  tools: readonly AnyTool[] | ToolSet,
  options: ResumeBatchOptions = {},
): Promise<BatchOutcome> {
  const { decisions = [], verifier, ...rest } = options;
  const toolSet = createToolSet(tools);
  let newest = parseBatchCheckpoint(checkpoint);
  let version = 0;
  const stored = await options.store?.load(newest.batchId);
  if (stored) {
    // The store's newest state of this batch, never another batch kept under the same id (a
    // batch id reused for another turn): its calls would be answered with this one's results.
    if (!sameCalls(stored.checkpoint, newest)) {
      throw new InvalidCheckpointError(
        "checkpoint.batchId",
        `names another batch in the store, with other calls: ${JSON.stringify(newest.batchId)} must be one batch's id`,
      );
    }
    ({ checkpoint: newest, version } = stored);
  }
  await checkApprovalBindings(newest, rest.signer);
  const state = stateOf(newest);
  const { batch, results, ledger } = state;

  const requests = new Map(state.pending.map((request) => [request.callId, request]));
  const check = verifier ?? createApprovalVerifier(rest.signer ? { signer: rest.signer } : {});
  const verdicts = new Map<string, VerifiedApproval>();
  for (const decision of decisions) {
    const callId = readCallId(decision);
    const request = callId === undefined ? undefined : requests.get(callId);
    if (!request) {
      throw new ApprovalMismatchError(
        callId === undefined ? "malformed" : "call",
        String(callId),
        callId === undefined
          ? "it is not { callId, digest, approved: boolean, reason?: string }."
          : "no approval is pending for this call in the batch's checkpoint.",
      );
    }
    verdicts.set(request.callId, await check.check(request, decision));
  }

  // An invalid option (errorText not a function) is an InvalidOptionError before anything is saved.
  checkExecuteBatchOptions(createToolSet([]), rest);
  // The failures written here are mapped by `errorText` as the executor maps its own, once: the
  // results read from the checkpoint were mapped when they were answered, and keep their text.
  const present = createPresenter(toolSet, rest.errorText);
  const answer = (call: ToolCall, result: ToolResult) =>
    setField(results, call.id, recordedResult(present ? present(result, call) : result));
  const calls = new Map(batch.calls.map((call) => [call.id, call]));
  const time = Date.now();
  for (const [callId, verdict] of verdicts) {
    const call = calls.get(callId) as ToolCall;
    const { digest, requestedAt = time } = requests.get(callId) as ApprovalRequest;
    if (verdict.approved) {
      const { signature } = verdict;
      setField(state.approved, callId, {
        digest,
        decidedAt: time,
        ...(signature === undefined ? {} : { signature }),
      });
    } else answer(call, denied(call, verdict.reason));
    const reason =
      verdict.approved || verdict.reason === undefined ? {} : { reason: verdict.reason };
    emit(rest, {
      type: "approval-decided",
      batchId: newest.batchId,
      call,
      approved: verdict.approved,
      ...reason,
      requestTime: requestedAt,
      time,
      durationMs: time - requestedAt,
    });
  }
  state.pending = state.pending.filter((request) => !verdicts.has(request.callId));
  for (const call of batch.calls) {
    const entry = Object.hasOwn(ledger, call.id) ? ledger[call.id] : undefined;
    if (!entry || Object.hasOwn(results, call.id)) continue;
    if (entry.state === "settled") setField(results, call.id, entry.result);
    else if (!toolSet.get(call.name)?.idempotent) answer(call, outcomeUnknown(call));
    // An idempotent one runs again; its ledger entry is written anew when it starts.
  }
  return continueBatch(state, toolSet, rest, createBatchLedger(state, rest.store, version));
}

/** Whether two checkpoints hold the same calls: ids and tool names, in order. */
function sameCalls(one: BatchCheckpoint, other: BatchCheckpoint): boolean {
  const theirs = other.batch.calls;
  return (
    one.batch.calls.length === theirs.length &&
    one.batch.calls.every((call, i) => call.id === theirs[i]?.id && call.name === theirs[i]?.name)
  );
}

/** The answer to a call that started in a process that died before its tool ended. */
function outcomeUnknown(call: ToolCall): ToolResult {
  return toolFailure(
    call,
    "outcome_unknown",
    `Tool "${call.name}" started, but the process running it stopped before it finished, so its outcome was never recorded: what it does may or may not have taken effect. Check before calling it again.`,
  );
}

function readCallId(decision: unknown): string | undefined {
  try {
    const callId: unknown = (decision as { callId?: unknown } | null)?.callId;
    return typeof callId === "string" ? callId : undefined;
  } catch {
    // A Proxy whose traps throw.
    return undefined;
  }
}
