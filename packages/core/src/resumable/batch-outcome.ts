import type { ApprovalRequest } from "../approval/approval-request.js";
import type { ApprovalSigner } from "../approval/approval-signer.js";
import type { ApprovalVerifier } from "../approval/approval-verifier.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import type { BatchStore } from "../durable/batch-store.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";

/**
 * What {@link runBatch} and {@link resumeBatch} resolve with: every call answered (`complete`),
 * or some still awaiting a decision (`suspended`). Either way `checkpoint` is the batch as it
 * stands, plain JSON to store or send, and what `resumeBatch` continues from.
 */
export type BatchOutcome =
  | {
      readonly status: "complete";
      /**
       * One result per call, in call order: what the follow-up sends. As the checkpoint keeps
       * them, whether they were answered in this run or an earlier one: an error's `cause` (the
       * thrown value, no data) is not kept.
       */
      readonly results: ToolResult[];
      readonly checkpoint: BatchCheckpoint;
    }
  | {
      readonly status: "suspended";
      readonly checkpoint: BatchCheckpoint;
      /** The calls awaiting a decision, in call order; show them, and resume with decisions. */
      readonly pending: readonly ApprovalRequest[];
    };

/** Options of {@link runBatch}: those of `executeBatch`, and where the batch is kept. */
export interface RunBatchOptions extends ExecuteBatchOptions {
  /**
   * Where the checkpoint is saved: first before anything runs (a batch id the store already holds
   * is a `BatchConflictError`), then each call's ledger entry ("started" before its tool runs,
   * "settled" after), and the outcome. Without one, the checkpoint is only returned.
   */
  store?: BatchStore | undefined;
  /** The batch's id (the tools' `batchId`, the store's key). Default: a random UUID. */
  batchId?: string | undefined;
  /**
   * Signs the approval requests of a suspended batch (`ApprovalRequest.signature`), for when they
   * travel through a browser; `resumeBatch` then needs the same signer.
   */
  signer?: ApprovalSigner | undefined;
}

/** Options of {@link resumeBatch}. */
export interface ResumeBatchOptions extends RunBatchOptions {
  /**
   * Decisions on the checkpoint's pending approvals, each bound to its request by call id and
   * digest. A decision that is not for a pending call, for other arguments, replayed, forged
   * (with a signer) or no decision at all is refused with `ApprovalMismatchError` before
   * anything runs. Calls left undecided stay pending. Default: none.
   */
  decisions?: readonly unknown[] | undefined;
  /** Checks the decisions; default: a new `createApprovalVerifier({ signer })`. */
  verifier?: ApprovalVerifier | undefined;
}
