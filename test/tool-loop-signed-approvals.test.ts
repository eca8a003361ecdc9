import {
  ApprovalMismatchError,
  type ApprovalRequest,
  type ApprovalSigner,
  createApprovalSigner,
  resumableBatches,
  type ToolLoopCheckpoint,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { LOOP_VENDORS } from "./support/loop-vendors.js";
import { paymentTools, scriptedServer } from "./support/payment-turn.js";

// Issue 16: resumableBatches({ signer }) signs what a suspended loop hands out, and a resume
// accepts only decisions that signer made: one signed with another key, or none, is refused
// before anything runs or is sent; the right one runs the payment, once.

const signer = createApprovalSigner("the application's secret, 32 bytes or more");
const stranger = createApprovalSigner("someone else's secret, also 32 bytes long");

const approval = (request: ApprovalRequest) => ({
  callId: request.callId,
  digest: request.digest,
  approved: true as const,
});

const signedBy = async (key: ApprovalSigner, request: ApprovalRequest) =>
  key.signDecision(request, approval(request));

describe.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "runToolLoop with resumableBatches({ signer }) (%s)",
  (_name, vendor) => {
    it("hands out signed requests and runs only decisions the signer signed", async () => {
      const started = await scriptedServer(vendor);
      const { ran, tools } = paymentTools();
      const batches = resumableBatches({ signer });
      const result = await vendor.run({ batches, url: started.url, tools, stream: false });
      if (result.stopReason !== "awaiting-approval") throw new Error(result.stopReason);
      const [request] = result.pending;
      if (!request) throw new Error("nothing pending");
      expect(request.signature).toMatch(/^[0-9a-f]{64}$/);
      await expect(signer.verifyRequest(request)).resolves.toBeUndefined();
      await expect(stranger.verifyRequest(request)).rejects.toThrow(ApprovalMismatchError);
      const checkpoint = JSON.parse(JSON.stringify(result.checkpoint)) as ToolLoopCheckpoint;
      const resume = (decision: unknown) =>
        vendor.run({
          batches,
          url: started.url,
          tools,
          stream: false,
          resume: checkpoint,
          decisions: [decision],
        });

      for (const refused of [await signedBy(stranger, request), approval(request)]) {
        const run = resume(refused);
        await expect(run).rejects.toThrow(ApprovalMismatchError);
        await expect(run).rejects.toMatchObject({ reason: "signature" });
      }
      expect(started.requests).toHaveLength(1);
      expect(ran).not.toContain(request.callId);

      const resumed = await resume(await signedBy(signer, request));
      expect(resumed.stopReason).toBe("done");
      expect(started.requests).toHaveLength(2);
      expect(ran.filter((id) => id === request.callId)).toHaveLength(1);
      expect(vendor.validateHistory(resumed.history)).toStrictEqual([]);
    });
  },
);
