import { ApprovalMismatchError } from "../errors/approval-mismatch-error.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { toHex } from "./approval-digest.js";
import type { ApprovalDecision, ApprovalRequest } from "./approval-request.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * Signs approval requests and decisions with a secret the application keeps, and verifies them,
 * for when they travel through hands it does not trust (a browser, a queue): a request or decision
 * altered or made up elsewhere fails verification.
 */
export interface ApprovalSigner {
  /** The request with its `signature`: of its batch id, call id, tool name and digest. */
  signRequest(request: ApprovalRequest): Promise<ApprovalRequest>;
  /**
   * The decision with its `signature`, made for `request`: of the request's batch id and the
   * decision's call id, digest, `approved` and reason, so it is worth nothing for another batch.
   */
  signDecision(request: ApprovalRequest, decision: ApprovalDecision): Promise<ApprovalDecision>;
  /** @throws {ApprovalMismatchError} (reason `signature`, as a rejection) unless signed here. */
  verifyRequest(request: ApprovalRequest): Promise<void>;
  /** @throws {ApprovalMismatchError} (reason `signature`, as a rejection) unless signed here. */
  verifyDecision(request: ApprovalRequest, decision: ApprovalDecision): Promise<void>;
}

/**
 * Creates a signer from a secret of at least 32 bytes (a string is taken as UTF-8): HMAC-SHA-256
 * through WebCrypto (`crypto.subtle`), no dependency. Signatures are 64 lowercase hex digits over
 * the canonical JSON of the signed fields, with a domain tag so a request's signature is never a
 * decision's. Verification compares in constant time.
 *
 * @throws {InvalidOptionError} when the secret is shorter than 32 bytes or neither string nor bytes.
 *
 * @example
 * const signer = createApprovalSigner(process.env.APPROVAL_SECRET!);
 * const shown = await signer.signRequest(request); // to the browser
 * await signer.verifyDecision(request, decision); // the answer that came back
 */
export function createApprovalSigner(secret: string | Uint8Array): ApprovalSigner {
  const bytes = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  if (!(bytes instanceof Uint8Array) || bytes.length < 32) {
    throw new InvalidOptionError("secret", secret, "a string or Uint8Array of at least 32 bytes");
  }
  const key = globalThis.crypto.subtle.importKey(
    "raw",
    new Uint8Array(bytes),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sign = async (fields: unknown[]): Promise<string> => {
    const data = new TextEncoder().encode(canonicalJson(fields, "signed fields"));
    return toHex(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", await key, data)));
  };
  const requestFields = (request: ApprovalRequest) => [
    "toolbatch/approval-request/v1",
    request.batchId,
    request.callId,
    request.toolName,
    request.digest,
  ];
  const decisionFields = (request: ApprovalRequest, decision: ApprovalDecision) => [
    "toolbatch/approval-decision/v1",
    request.batchId,
    decision.callId,
    decision.digest,
    decision.approved,
    (!decision.approved && decision.reason) || null,
  ];
  const verify = async (callId: string, fields: () => unknown[], signature: unknown) => {
    let expected: string;
    try {
      expected = await sign(fields());
    } catch {
      // Fields that are not JSON data (a forged decision) cannot have been signed here.
      expected = "";
    }
    if (typeof signature !== "string" || !expected || !equalInConstantTime(expected, signature)) {
      throw new ApprovalMismatchError(
        "signature",
        callId,
        signature === undefined
          ? "it is not signed, and a signature is required."
          : "its signature is not one this signer made for it (forged, or altered since signed).",
      );
    }
  };
  return {
    signRequest: async (request) => ({
      ...request,
      signature: await sign(requestFields(request)),
    }),
    signDecision: async (request, decision) => ({
      ...decision,
      signature: await sign(decisionFields(request, decision)),
    }),
    verifyRequest: (request) =>
      verify(String(request.callId), () => requestFields(request), request.signature),
    verifyDecision: (request, decision) =>
      verify(String(request.callId), () => decisionFields(request, decision), decision.signature),
  };
}

/** Compares two strings in time that depends on their length only, not on where they differ. */
function equalInConstantTime(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index++) {
    difference |= expected.charCodeAt(index) ^ given.charCodeAt(index);
  }
  return difference === 0;
}
