import type { ApprovalRequest } from "../approval/approval-request.js";
import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";

/**
 * The schema version this `@toolbatch/core` writes. A checkpoint carries it in `schemaVersion`;
 * `parseBatchCheckpoint` refuses any other it cannot migrate (`CheckpointVersionError`).
 *
 * What changes the version: anything an older reader would misread — a new required field, a
 * field whose meaning changes, a new `state` in the ledger, a new error code in a result (an
 * older reader refuses the code, which is safe, but the version says why). Adding an optional
 * field an older reader may ignore does not.
 */
export const BATCH_CHECKPOINT_SCHEMA_VERSION = 1;

/**
 * Everything needed to continue a batch in another process, days later: the batch, the results
 * so far, the approvals still awaited and the ledger of calls that ran. Plain JSON: write it with
 * `JSON.stringify` (or `serializeBatchCheckpoint`), read it back with `parseBatchCheckpoint`, which
 * refuses what is not a checkpoint of this schema instead of misreading it.
 *
 * Keyed by call id (`results`, `ledger`): the call ids of a checkpointed batch are unique, which
 * `parseBatchCheckpoint` checks.
 */
export interface BatchCheckpoint {
  /** The schema this checkpoint follows: {@link BATCH_CHECKPOINT_SCHEMA_VERSION}. */
  readonly schemaVersion: 1;
  /**
   * The batch's id (the execute context's `batchId`): with a call id, the idempotency key a tool
   * passes to the systems it writes to, and the key a `BatchStore` keeps the checkpoint under.
   */
  readonly batchId: string;
  /**
   * The model's turn the calls come from, as the adapter read it: the calls (ids unique, each at
   * its `index`), whether the turn is `complete`, its warnings and the vendor's turn verbatim,
   * which is JSON from the vendor, as the calls' inputs are.
   */
  readonly batch: ToolCallBatch;
  /**
   * The answer of every call answered so far, by call id: what the model gets for it in the
   * follow-up. A call with a result here is never run again. Errors keep their `code` and
   * `message`; a `cause` (a thrown value) is not data and is not kept.
   */
  readonly results: { readonly [callId: string]: ToolResult };
  /**
   * The approvals still awaited, in call order: one per call waiting for a decision, each bound
   * to its call, tool and input by its digest, and signed when an `ApprovalSigner` signed it.
   */
  readonly pending: readonly ApprovalRequest[];
  /**
   * The approvals given so far, by call id: kept so that a call approved while it could not run
   * yet (it waits behind a call still undecided: a shared lock key, a `parallel: false` tool) is
   * never asked about again, and so the audit trail holds across processes. Each is bound to its
   * call by the digest it approved, which `resumeBatch` recomputes from the call before the call
   * runs. Optional, and absent while nothing was approved: a reader that does not know the field
   * asks again, which is safe, so it did not change the schema version.
   */
  readonly approved?: { readonly [callId: string]: KeptApproval };
  /**
   * What ran, by call id: written `started` before a tool's `execute` is called and `settled`
   * once it has settled, so that after a crash a call that started and has no result is known.
   * A call that never ran (denied, unknown tool, invalid input, not yet started) has no entry.
   */
  readonly ledger: { readonly [callId: string]: LedgerEntry };
}

/**
 * A decision that approved a call, as a checkpoint keeps it. The call runs on a later resume
 * without being asked again, once `resumeBatch` has checked that `digest` is still the digest of
 * the call's tool name, id and input (a checkpoint changed since is refused), and, when it has a
 * signer, that `signature` is that signer's for the decision.
 */
export interface KeptApproval {
  /** The request's digest the decision carried: `approvalDigest` of the call. */
  readonly digest: string;
  /** When the decision was applied (`resumeBatch`), epoch milliseconds. */
  readonly decidedAt: number;
  /** The decision's signature, when an `ApprovalSigner` signed it. */
  readonly signature?: string;
}

/**
 * One call's line in the ledger. Times are epoch milliseconds, as in execution events.
 * - `started`: `execute` was about to be called, and no outcome was recorded. Found on resume, the
 *   process died while the tool ran: the call is answered `outcome_unknown` (its effect may have
 *   happened), unless its tool is idempotent and may run again.
 * - `settled`: the tool's `execute` settled; `result` is its outcome. That may differ from the
 *   call's answer in `results`: a call answered `timeout` keeps its tool running, and the ledger
 *   records what the tool came to when it ended.
 */
export type LedgerEntry =
  | {
      readonly state: "started";
      /** When `execute` was called. */
      readonly startedAt: number;
    }
  | {
      readonly state: "settled";
      /** When `execute` was called. */
      readonly startedAt: number;
      /** When its promise settled. */
      readonly settledAt: number;
      /** What the tool came to: its output, or what it threw, as a result. */
      readonly result: ToolResult;
    };
