import type { ToolCall } from "../batch/tool-call.js";
import { approvalDigest } from "./approval-digest.js";

/**
 * A call waiting for approval, bound to what it would run: plain JSON, so it can be stored in a
 * checkpoint, shown in a browser and sent back with the decision. The same fields as a
 * checkpoint's pending approval, plus an optional signature.
 */
export interface ApprovalRequest {
  /** The call waiting for a decision. */
  readonly callId: string;
  /** The tool it calls (the call's name). */
  readonly toolName: string;
  /** The call's arguments as the model sent them (JSON data); what whoever decides is shown. */
  readonly input: unknown;
  /** {@link approvalDigest} of tool name, call id and input: what a decision must carry. */
  readonly digest: string;
  /** The batch run the call belongs to (the execute context's `batchId`). */
  readonly batchId: string;
  /** HMAC-SHA-256 of the request, when signed by an {@link ApprovalSigner}. */
  readonly signature?: string;
  /**
   * When the call was found to need approval, epoch milliseconds: set by `runBatch` and
   * `resumeBatch` (the `requestTime` of the `approval-decided` event a later resume emits). Not
   * signed: it says nothing about what is approved.
   */
  readonly requestedAt?: number;
}

/**
 * A decision on one {@link ApprovalRequest}: it names the call and carries the request's digest,
 * so it approves those arguments of that tool for that call, and nothing else. Plain JSON.
 */
export type ApprovalDecision =
  | {
      readonly callId: string;
      readonly digest: string;
      readonly approved: true;
      /** HMAC-SHA-256 of the decision for its request, when signed by an {@link ApprovalSigner}. */
      readonly signature?: string | undefined;
    }
  | {
      readonly callId: string;
      readonly digest: string;
      readonly approved: false;
      /** Why, for the model (it reads it in the `denied` result). */
      readonly reason?: string | undefined;
      /** HMAC-SHA-256 of the decision for its request, when signed by an {@link ApprovalSigner}. */
      readonly signature?: string | undefined;
    };

/**
 * The request for approval of a call of batch run `batchId`, its digest computed from the call's
 * name, id and arguments (`call.input`, which must be JSON data).
 * @throws {InvalidOptionError} (as a rejection) when the input is not JSON data.
 */
export async function createApprovalRequest(
  call: Pick<ToolCall, "id" | "name" | "input">,
  batchId: string,
): Promise<ApprovalRequest> {
  const digest = await approvalDigest(call.name, call.id, call.input);
  return { callId: call.id, toolName: call.name, input: call.input, digest, batchId };
}
