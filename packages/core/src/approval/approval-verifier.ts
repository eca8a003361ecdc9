import { ApprovalMismatchError } from "../errors/approval-mismatch-error.js";
import { approvalDigest } from "./approval-digest.js";
import type { ApprovalDecision, ApprovalRequest } from "./approval-request.js";
import type { ApprovalSigner } from "./approval-signer.js";

/** What a decision that passed {@link ApprovalVerifier.check} says. */
export type VerifiedApproval =
  | {
      readonly approved: true;
      /** The decision's signature, when it carried one (kept with the approval in a checkpoint). */
      readonly signature?: string;
    }
  | { readonly approved: false; readonly reason?: string };

/** Checks decisions against the requests they claim to decide, each call once. */
export interface ApprovalVerifier {
  /**
   * Accepts `decision` for `request`, or refuses it with an `ApprovalMismatchError` (as a
   * rejection) whose `reason` says why: `malformed` (not a decision), `call` (for another call),
   * `digest` (for other arguments or another tool, or a request whose digest does not match its
   * own tool name, call id and input), `signature` (with a signer: missing or wrong), `replayed`
   * (this call of this batch was already decided through this verifier). An accepted decision is
   * recorded, so it cannot be used again.
   */
  check(request: ApprovalRequest, decision: unknown): Promise<VerifiedApproval>;
}

/**
 * Creates a verifier for one run (a `resumeBatch`, say): it remembers the calls it accepted a
 * decision for. With a `signer`, every decision must carry that signer's signature for its request.
 */
export function createApprovalVerifier(
  options: { signer?: ApprovalSigner | undefined } = {},
): ApprovalVerifier {
  const { signer } = options;
  const decided = new Set<string>();
  return {
    async check(request, decision) {
      const { callId } = request;
      const refuse = (reason: ApprovalMismatchError["reason"], detail: string): never => {
        throw new ApprovalMismatchError(reason, callId, detail);
      };
      const given = readDecision(decision);
      if (!given) {
        return refuse(
          "malformed",
          "it is not { callId, digest, approved: boolean, reason?: string }.",
        );
      }
      if (given.callId !== callId) {
        refuse("call", `it decides call "${given.callId}".`);
      }
      const digest = await approvalDigest(request.toolName, callId, request.input);
      if (digest !== request.digest) {
        refuse("digest", "the request's digest does not match its tool name, call id and input.");
      }
      if (given.digest !== digest) {
        refuse("digest", "it was made for other arguments or another tool.");
      }
      if (signer) await signer.verifyDecision(request, given);
      const key = JSON.stringify([request.batchId, callId]);
      if (decided.has(key)) refuse("replayed", "this call was already decided in this run.");
      decided.add(key);
      return given.approved
        ? {
            approved: true,
            ...(given.signature === undefined ? {} : { signature: given.signature }),
          }
        : given.reason === undefined
          ? { approved: false }
          : { approved: false, reason: given.reason };
    },
  };
}

/** The decision's fields when it is one, read once (a getter cannot change its mind later). */
function readDecision(value: unknown): ApprovalDecision | undefined {
  try {
    if (typeof value !== "object" || value === null) return undefined;
    const { callId, digest, approved, reason, signature } = value as Record<string, unknown>;
    if (typeof callId !== "string" || typeof digest !== "string") return undefined;
    if (typeof approved !== "boolean") return undefined;
    if (reason !== undefined && (approved || typeof reason !== "string")) return undefined;
    if (signature !== undefined && typeof signature !== "string") return undefined;
    const signed = signature === undefined ? {} : { signature };
    return approved
      ? { callId, digest, approved, ...signed }
      : { callId, digest, approved, ...(reason === undefined ? {} : { reason }), ...signed };
  } catch {
    // A Proxy whose traps throw.
    return undefined;
  }
}
