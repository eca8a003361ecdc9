import { approvalDigest } from "../approval/approval-digest.js";
import type { ApprovalSigner } from "../approval/approval-signer.js";
import type { ToolCall } from "../batch/tool-call.js";
import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import { keyPath, refuse } from "../durable/read-checkpoint-fields.js";

/**
 * Checks that a checkpoint's approvals are still bound to its calls, before a resume decides or
 * runs anything: the digest of each pending request and of each kept approval is the digest of
 * its call's tool name, id and input as the checkpoint holds them now. `parseBatchCheckpoint`
 * cannot (a digest is computed asynchronously), and the verifier checks a decision against its
 * request, not the request against the call: without this, a checkpoint whose call input was
 * changed after the request was made would run the changed input on the old approval. With a
 * signer, each kept approval must carry that signer's signature for its decision, so one added to
 * a stored checkpoint by hand is refused; without a signer, the checkpoint is trusted as its
 * store is (as its results are).
 *
 * @throws {InvalidCheckpointError} (as a rejection) naming the digest that is not its call's.
 * @throws {ApprovalMismatchError} (reason `signature`, as a rejection) for a kept approval the
 *   signer did not sign.
 */
export async function checkApprovalBindings(
  checkpoint: BatchCheckpoint,
  signer: ApprovalSigner | undefined,
): Promise<void> {
  const calls = new Map(checkpoint.batch.calls.map((call) => [call.id, call]));
  const callOf = (callId: string) => calls.get(callId) as ToolCall;
  for (const [index, request] of checkpoint.pending.entries()) {
    await checkDigest(callOf(request.callId), request.digest, `checkpoint.pending[${index}]`);
  }
  const approved = checkpoint.approved ?? {};
  for (const callId of Object.keys(approved)) {
    const call = callOf(callId);
    const { digest, signature } = approved[callId] as NonNullable<(typeof approved)[string]>;
    await checkDigest(call, digest, keyPath("checkpoint.approved", callId));
    if (!signer) continue;
    const { batchId } = checkpoint;
    const request = { callId, toolName: call.name, input: call.input, digest, batchId };
    const decision = { callId, digest, approved: true as const };
    await signer.verifyDecision(
      request,
      signature === undefined ? decision : { ...decision, signature },
    );
  }
}

async function checkDigest(call: ToolCall, digest: string, path: string): Promise<void> {
  // An input the digest cannot be computed of (not JSON data) was never approved either.
  const computed = await approvalDigest(call.name, call.id, call.input).catch(() => undefined);
  if (computed !== digest) {
    refuse(
      keyPath(path, "digest"),
      `is not the digest of call ${JSON.stringify(call.id)}'s tool name, id and input: the call or the approval was changed after it was made`,
    );
  }
}
