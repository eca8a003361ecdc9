import type { ToolCall } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";

/**
 * The ledger of a batch that can be resumed (issue 16): told before a call's tool runs and after
 * its promise settles, so that after a crash a call that started without an outcome is known.
 * Internal: only `runBatch` and `resumeBatch` pass one, so `executeBatch` pays one branch per call.
 */
export interface CallLedger {
  /** The batch's id, which the tools see as `batchId` (the checkpoint's). */
  readonly batchId: string;
  /**
   * Records that the call is about to run. Resolves `true` once that is saved; `false` when it
   * could not be (the store conflicted or failed): then the call must not run.
   */
  started(call: ToolCall): Promise<boolean>;
  /** Records what the call's tool came to, once its promise settled (for an abandoned call too). */
  settled(call: ToolCall, outcome: ToolResult): void;
}
