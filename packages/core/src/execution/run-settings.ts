import type { AccessAudit } from "../audit/access-record.js";
import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { ResourceLimiter } from "../limits/resource-limiter.js";
import type { ApproveHandler } from "./approval-gate.js";
import type { CallLedger } from "./call-ledger.js";
import type { ExecutionEvent } from "./execution-events.js";
import type { PresentResult } from "./present-result.js";

// What a batch run takes and gives; the run itself is createBatchRun (batch-run.ts).

/**
 * One batch being run, as {@link createBatchRun} returns it: the two steps of `BatchExecution`
 * without its call-order checks, which the run leaves to its callers.
 */
export interface BatchRun {
  /** Adds the next call of the batch; it starts as soon as the batch's rules allow. */
  add(call: ToolCall): void;
  /** Ends the batch and resolves with one result per call, in call order. */
  finish(batch: ToolCallBatch): Promise<ToolResult[]>;
}

/** What a run needs of `ExecuteBatchOptions`, checked by `openBatchRun`. */
export interface RunSettings {
  /** The most calls running at once. */
  readonly concurrency: number;
  /** The batch's time limit per call; a tool's own wins. */
  readonly timeoutMs: number | undefined;
  /** True when every call is a barrier (`parallel: false` on the batch). */
  readonly serial: boolean;
  readonly signal: AbortSignal | undefined;
  /** The guarded `onEvent`, if any. */
  readonly emit: ((event: ExecutionEvent) => void) | undefined;
  /** The shared budget of lock keys and resources, if the batch shares one. */
  readonly limiter?: ResourceLimiter | undefined;
  /** Decides calls that need approval; present whenever a tool may need it. */
  readonly approve: ApproveHandler | undefined;
  /** Records calls as they run; only `runBatch` and `resumeBatch` give one. */
  readonly ledger?: CallLedger | undefined;
  /** Asks for an access record on `batch-end` (see `ExecuteBatchOptions.audit`). */
  readonly audit?: AccessAudit | undefined;
  /** Gives results their model-facing form (`toModelOutput`, `errorText`), when there is any. */
  readonly present?: PresentResult | undefined;
}
