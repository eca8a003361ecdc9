import type { BatchIdentity, EndCall, RunnableCall } from "./run-call.js";

/**
 * The ledger of a batch that can be resumed (issue 16): it runs each call, so that its "started"
 * entry is saved before the tool runs and its outcome when the tool ends. Internal: only
 * `runBatch` and `resumeBatch` give one (resumable/batch-ledger.ts holds its code), so an
 * application that only uses `executeBatch` carries none of it.
 */
export interface CallLedger {
  /** The batch's id, which the tools see as `batchId` (the checkpoint's). */
  readonly batchId: string;
  /**
   * Runs a call as `runCall` does, once its start is saved; when that fails (the store
   * conflicted or failed), ends it `not_executed` without running it.
   */
  run(entry: RunnableCall, end: EndCall, batch: BatchIdentity): Promise<void>;
}
