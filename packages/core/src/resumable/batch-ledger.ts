import type { ApprovalRequest } from "../approval/approval-request.js";
import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import {
  BATCH_CHECKPOINT_SCHEMA_VERSION,
  type BatchCheckpoint,
  type KeptApproval,
  type LedgerEntry,
} from "../durable/batch-checkpoint.js";
import type { BatchStore } from "../durable/batch-store.js";
import { setField } from "../durable/read-checkpoint-fields.js";
import { notRun } from "../execution/call-failures.js";
import type { CallLedger } from "../execution/call-ledger.js";
import { runCall } from "../execution/run-call.js";

/** A checkpoint being written: the parts change as the batch runs. */
export interface BatchState {
  readonly batchId: string;
  readonly batch: ToolCallBatch;
  readonly results: Record<string, ToolResult>;
  readonly ledger: Record<string, LedgerEntry>;
  pending: ApprovalRequest[];
  /** The approvals given, kept until the batch is done (see `BatchCheckpoint.approved`). */
  readonly approved: Record<string, KeptApproval>;
}

/** The ledger of a resumable batch, and its saves. */
export interface BatchLedger extends CallLedger {
  /** Saves the state as it is now, after every save asked before; rejects when that one failed. */
  save(): Promise<void>;
  /** The first save that failed (a `BatchConflictError`, or the store's own error), if one did. */
  readonly failure: { readonly error: unknown } | undefined;
}

/** The state as a checkpoint: a snapshot, so a later change does not reach a stored one. */
export function checkpointOf(state: BatchState): BatchCheckpoint {
  return {
    schemaVersion: BATCH_CHECKPOINT_SCHEMA_VERSION,
    batchId: state.batchId,
    batch: state.batch,
    results: { ...state.results },
    pending: [...state.pending],
    // Absent while empty: a checkpoint without approvals is as a reader without the field wrote it.
    ...(Object.keys(state.approved).length > 0 ? { approved: { ...state.approved } } : {}),
    ledger: { ...state.ledger },
  };
}

/**
 * Keeps a batch's state and saves it through `store` (when there is one), one save at a time:
 * the batch is one document with a version, and each save expects the version the last one gave.
 * Once a save fails (another process saved the batch, or the store failed), nothing more is saved
 * and no call may start: `started` resolves `false`, so a call runs only once its "started" entry
 * is stored.
 */
export function createBatchLedger(
  state: BatchState,
  store: BatchStore | undefined,
  version: number,
): BatchLedger {
  let queue: Promise<void> = Promise.resolve();
  // The save queued whose snapshot is not taken yet: a change made now is in it, so it is joined.
  // Every entry of a stored checkpoint was thus saved by the save its `started` waited for: a call
  // runs whenever its "started" reached the store, and never when it did not.
  let next: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  const save = (): Promise<void> => {
    if (next) return next;
    const saving = queue.then(async () => {
      next = undefined;
      if (failure) throw failure.error;
      if (store) version = await store.save(state.batchId, checkpointOf(state), version);
    });
    next = saving;
    queue = saving.catch((error: unknown) => {
      failure ??= { error };
    });
    return saving;
  };
  const record = (call: ToolCall, entry: LedgerEntry) => setField(state.ledger, call.id, entry);
  /** Saves that the call starts; resolves `false` when that could not be saved. */
  const started = async (call: ToolCall): Promise<boolean> => {
    if (failure) return false;
    record(call, { state: "started", startedAt: Date.now() });
    try {
      await save();
      return true;
    } catch {
      return false;
    }
  };
  /** Records what the call's tool came to; a failed save is kept in `failure`. */
  const settled = (call: ToolCall, outcome: ToolResult) => {
    const entry = state.ledger[call.id];
    const startedAt = entry ? entry.startedAt : Date.now();
    const result = recordedResult(outcome);
    record(call, { state: "settled", startedAt, settledAt: Date.now(), result });
    save().catch(() => {});
  };
  return {
    batchId: state.batchId,
    get failure() {
      return failure;
    },
    save,
    async run(entry, end, batch) {
      const { call } = entry;
      const recorded = await started(call);
      // While it was saved, the batch may have been cancelled: the call is answered already.
      if (!recorded || entry.controller?.signal.aborted) {
        const unmapped = notRun(
          call,
          recorded
            ? "the batch was cancelled before it started"
            : "its start could not be recorded",
        );
        // The ledger records the text the model reads (errorText's), as for a call that ran.
        const result = batch.present ? batch.present(unmapped, call) : unmapped;
        if (recorded) settled(call, result);
        end(entry, result);
        return;
      }
      // Its time limit counts from now. `end` without a timeout: the tool ended (an abandoned
      // call's too, later), with what it came to.
      return runCall(
        entry,
        (ended, result, timeout) => {
          if (!timeout) settled(call, result);
          end(ended, result, timeout);
        },
        batch,
      );
    },
  };
}

/**
 * A result as a checkpoint keeps it: JSON data. An output, and the `modelOutput` the model reads
 * when the tool's `toModelOutput` mapped it, are as `JSON.stringify` writes them (the executor
 * checked they can be; `undefined` becomes `null`); an error keeps its code and text (the mapped
 * one the model reads) and loses its `cause`, which is no data, and its `unmappedMessage`.
 */
export function recordedResult(result: ToolResult): ToolResult {
  const { callId, name } = result;
  if (result.ok) {
    const output = asJson(result.output);
    // Dropping it would send the real output after a checkpoint (issue 18).
    if (result.modelOutput === undefined) return { callId, name, ok: true, output };
    return { callId, name, ok: true, output, modelOutput: asJson(result.modelOutput) };
  }
  const { code, message } = result.error;
  return { callId, name, ok: false, error: { code, message } };
}

/** A value as JSON data, as a checkpoint read back gives it. */
function asJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}
