import type { ToolCall } from "../batch/tool-call.js";
import type { ToolFailure } from "../batch/tool-result.js";
import { describeValue } from "../values/describe-value.js";
import { createBatchId } from "./batch-id.js";
import { denied, failed, failedBefore } from "./call-failures.js";
import { type ExecutionEvent, now } from "./execution-events.js";
import type { BatchIdentity, RunnableCall } from "./run-call.js";

/** What `approve` is asked about one call: which call, with what input, in which batch run. */
export interface ApprovalQuestion {
  /** The call waiting for a decision; `call.input` holds the arguments as the model sent them. */
  readonly call: ToolCall;
  /** The call's id (`call.id`). */
  readonly callId: string;
  /** The tool it would run (`call.name`). */
  readonly toolName: string;
  /** The validated input the tool will receive if approved (what `needsApproval` saw). */
  readonly input: unknown;
  /** The batch run's id, as the tool's `execute` will see it. */
  readonly batchId: string;
}

/** A decision on one call, in the process: run it, or answer it `denied` with an optional reason. */
export type ApprovalAnswer =
  | { readonly approved: true }
  | {
      readonly approved: false;
      /** Why, for the model (it reads it in the `denied` result). */
      readonly reason?: string | undefined;
    };

/** Decides a call that needs approval; see {@link ExecuteBatchOptions.approve}. */
export type ApproveHandler = (
  question: ApprovalQuestion,
) => ApprovalAnswer | PromiseLike<ApprovalAnswer>;

/** What the gate needs of its batch run. */
export interface GateContext {
  readonly approve: ApproveHandler;
  readonly batch: BatchIdentity;
  readonly emit: ((event: ExecutionEvent) => void) | undefined;
}

const CHECK = "its approval check (needsApproval)";
const HANDLER = "the approve handler";

/**
 * Decides whether a validated call of a tool that may need approval runs: resolves `undefined`
 * when it may (its `needsApproval` said `false`, or `approve` approved it), and otherwise with its
 * result: `denied`, or `execution_failed` when the check or the handler misbehaved (threw,
 * rejected, answered nonsense). Never rejects, whatever they do. Asynchronous even when the check
 * is not: the call waits its turn in the scheduler as pending meanwhile, which keeps one path.
 */
export async function gateCall(
  entry: RunnableCall,
  gate: GateContext,
): Promise<ToolFailure | undefined> {
  const { call, tool, input } = entry;
  const check = tool.needsApproval as NonNullable<typeof tool.needsApproval>;
  gate.batch.id ??= createBatchId();
  const batchId = gate.batch.id;
  try {
    const verdict: unknown = await (check === true || check(input as never, { call, batchId }));
    if (verdict === false) return undefined;
    if (verdict !== true) {
      return failedBefore(call, CHECK, `returned ${describeValue(verdict)}, not true or false`);
    }
  } catch (thrown) {
    return failed(call, thrown, CHECK);
  }
  const requestTime = now();
  gate.emit?.({ type: "approval-requested", call, input, time: requestTime, batchId });
  let answer: unknown;
  try {
    answer = await gate.approve({ call, callId: call.id, toolName: call.name, input, batchId });
  } catch (thrown) {
    return failed(call, thrown, HANDLER);
  }
  let approved: unknown;
  let reason: unknown;
  try {
    ({ approved, reason } = answer as { approved?: unknown; reason?: unknown });
  } catch {
    // null, undefined, or a Proxy that cannot be read: no answer.
  }
  if (
    approved !== true &&
    (approved !== false || (reason !== undefined && typeof reason !== "string"))
  ) {
    return failedBefore(
      call,
      HANDLER,
      `returned ${describeValue(answer)}, not { approved, reason? }`,
    );
  }
  const time = now();
  const given = reason ? { reason: reason as string } : {};
  const durationMs = time - requestTime;
  gate.emit?.({
    type: "approval-decided",
    call,
    approved,
    ...given,
    requestTime,
    time,
    durationMs,
    batchId,
  });
  return approved ? undefined : denied(call, reason as string | undefined);
}
