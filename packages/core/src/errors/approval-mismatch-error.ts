import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.approval-mismatch");

/**
 * Why an approval decision was refused:
 * - `call`: it decides another call than the request (its `callId` differs).
 * - `digest`: it was made for other arguments or another tool (its digest is not the request's),
 *   or the request's own digest does not match its tool name, call id and input.
 * - `replayed`: this call of this batch was already decided in this run.
 * - `signature`: a signature was required and is missing or wrong (forged, or altered since signed).
 * - `malformed`: it is not a decision at all (`approved` not a boolean, a reason that is no string).
 */
export type ApprovalMismatchReason = "call" | "digest" | "replayed" | "signature" | "malformed";

/**
 * An approval decision (or a signed request) does not belong to what it claims to approve. The
 * call it was meant for does not run on it; the application decides what to do (ask again).
 */
export class ApprovalMismatchError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** What does not match. */
  declare readonly reason: ApprovalMismatchReason;
  /** The id of the call the request is for. */
  declare readonly callId: string;

  constructor(reason: ApprovalMismatchReason, callId: string, detail: string) {
    super(
      `[toolbatch/core] Approval for call "${callId}" refused (${reason}): ${detail} Ask for a new decision on the current request.`,
    );
    this[marker] = true;
    this.name = "ApprovalMismatchError";
    this.reason = reason;
    this.callId = callId;
  }

  static override isInstance(value: unknown): value is ApprovalMismatchError {
    return hasErrorMarker(value, marker);
  }
}
