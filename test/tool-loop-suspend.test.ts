import {
  ApprovalMismatchError,
  type ApprovalRequest,
  createMemoryBatchStore,
  InvalidCheckpointError,
  InvalidOptionError,
  MissingApprovalHandlerError,
  resumableBatches,
  type ToolLoopCheckpoint,
  type ToolLoopResult,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { watchUnhandledRejections } from "./support/loop-outcomes.js";
import { LOOP_VENDORS, type LoopVendor } from "./support/loop-vendors.js";
import { paymentTools, scriptedServer } from "./support/payment-turn.js";

// Issue 16: a loop without `approve` suspends on a call that needs approval. One of four parallel
// calls (a payment of 250) needs it: the three lookups run, the loop stops `awaiting-approval`
// with a checkpoint, and a loop resumed from that checkpoint (through JSON, as in another process)
// with the decision sends the vendor all four results in one follow-up. Suspending is what
// `batches: resumableBatches()` brings: without it, such a loop is a programmer error.

const REASON = "payments over 100 need a manager";
const DENIED = `Tool "send_payment" was not run: running this call was denied. The reason given: "${REASON}". Do not call it again unless the user asks you to.`;

const unhandled = watchUnhandledRejections();
const batches = resumableBatches();

/** Runs the turn to its suspension; the checkpoint comes back through JSON text. */
async function suspend(vendor: LoopVendor, stream: boolean) {
  const started = await scriptedServer(vendor);
  const { ran, tools } = paymentTools();
  const result = await vendor.run({ batches, url: started.url, tools, stream });
  if (result.stopReason !== "awaiting-approval") {
    throw new Error(`the loop stopped ${result.stopReason}`);
  }
  const checkpoint = JSON.parse(JSON.stringify(result.checkpoint)) as typeof result.checkpoint;
  return { started, ran, tools, result, checkpoint };
}

/** The scripted model's answer holds these texts in this order. */
function expectAnswerInOrder(result: ToolLoopResult, texts: readonly string[]) {
  const answer = JSON.stringify(result.finalTurn).replace(/[\\"]/g, "");
  const at = texts.map((text) => answer.indexOf(text.replace(/"/g, "")));
  expect(at.every((position) => position >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toStrictEqual(at);
}

const decide = (request: ApprovalRequest | undefined, approved: boolean) => ({
  callId: request?.callId,
  digest: request?.digest,
  approved,
  ...(approved ? {} : { reason: REASON }),
});

const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop without approve suspends (%s)", (_name, vendor) => {
  it.each([false, true])(
    "awaiting-approval, then resumed from JSON with an approval (stream: %s)",
    async (stream) => {
      const { started, ran, tools, result, checkpoint } = await suspend(vendor, stream);
      expect(started.requests).toHaveLength(1);
      const calls = checkpoint.batch.batch.calls;
      const [paymentId, ...lookupIds] = [1, 0, 2, 3].map((i) => calls[i]?.id);
      // The three lookups ran once each; the payment did not.
      expect([...ran].sort()).toStrictEqual([...lookupIds].sort());
      expect(result.pending.map((request) => [request.callId, request.input])).toStrictEqual([
        [paymentId, { amount: 250 }],
      ]);
      expect(checkpoint).toMatchObject({ schemaVersion: 1, provider: vendor.name, step: 0 });
      expect(result.steps).toStrictEqual([]);
      expect(result.finalTurn).toStrictEqual(checkpoint.batch.batch.turn);
      // The history stops before the suspended turn: the vendor takes it as it is.
      expect(vendor.validateHistory(result.history)).toStrictEqual([]);

      const resumed = await vendor.run({
        batches,
        url: started.url,
        tools,
        stream,
        resume: checkpoint,
        decisions: [decide(result.pending[0], true)],
      });
      expect(resumed.stopReason).toBe("done");
      // One more request: the follow-up with all four results.
      expect(started.requests).toHaveLength(2);
      // The payment ran once, on resume; no lookup ran again.
      expect(ran).toHaveLength(4);
      expect(ran.filter((id) => id === paymentId)).toHaveLength(1);
      expect(resumed.steps.map((step) => step.index)).toStrictEqual([0, 1]);
      expect(resumed.steps[0]?.results.map((r) => (r.ok ? r.output : r.error.code))).toStrictEqual([
        "found Paris",
        "paid",
        "found Lima",
        "found Oslo",
      ]);
      expectAnswerInOrder(resumed, ["found Paris", "paid", "found Lima", "found Oslo"]);
      expect(vendor.validateHistory(resumed.history)).toStrictEqual([]);
      expect(unhandled.reasons.splice(0)).toStrictEqual([]);
    },
  );

  it("resumed with a denial, the model reads the denied text and the payment never runs", async () => {
    const { started, ran, tools, result, checkpoint } = await suspend(vendor, false);
    const resumed = await vendor.run({
      batches,
      url: started.url,
      tools,
      stream: false,
      resume: checkpoint,
      decisions: [decide(result.pending[0], false)],
    });
    expect(resumed.stopReason).toBe("done");
    expect(started.requests).toHaveLength(2);
    expect(ran).toHaveLength(3);
    expect(ran).not.toContain(result.pending[0]?.callId);
    expect(resumed.steps[0]?.results[1]).toMatchObject({
      ok: false,
      error: { code: "denied", message: DENIED },
    });
    expectAnswerInOrder(resumed, ["found Paris", DENIED, "found Lima", "found Oslo"]);
    expect(vendor.validateHistory(resumed.history)).toStrictEqual([]);
  });

  it("resumed with no decision, it stays awaiting-approval and sends nothing", async () => {
    const { started, ran, tools, checkpoint } = await suspend(vendor, false);
    const again = await vendor.run({
      batches,
      url: started.url,
      tools,
      stream: false,
      resume: checkpoint,
    });
    expect(again.stopReason).toBe("awaiting-approval");
    expect(started.requests).toHaveLength(1);
    expect(ran).toHaveLength(3);
    if (again.stopReason === "awaiting-approval") {
      expect(again.pending).toHaveLength(1);
      expect(again.checkpoint.batch.results).toStrictEqual(checkpoint.batch.results);
    }
  });

  it("a forged decision or a damaged checkpoint is refused before anything runs or is sent", async () => {
    const { started, ran, tools, result, checkpoint } = await suspend(vendor, false);
    const forged = { ...decide(result.pending[0], true), digest: "0".repeat(64) };
    const run = vendor.run({
      batches,
      url: started.url,
      tools,
      stream: false,
      resume: checkpoint,
      decisions: [forged],
    });
    await expect(run).rejects.toThrow(ApprovalMismatchError);
    const damaged = { ...checkpoint, history: "lost" } as unknown as ToolLoopCheckpoint;
    const broken = vendor.run({ batches, url: started.url, tools, stream: false, resume: damaged });
    await expect(broken).rejects.toThrow(InvalidCheckpointError);
    await expect(broken).rejects.toMatchObject({ path: "loopCheckpoint.history" });
    const other = { ...checkpoint, provider: "another-vendor" };
    const elsewhere = vendor.run({
      batches,
      url: started.url,
      tools,
      stream: false,
      resume: other,
    });
    await expect(elsewhere).rejects.toMatchObject({ path: "loopCheckpoint.provider" });
    expect(started.requests).toHaveLength(1);
    expect(ran).toHaveLength(3);
  });

  it("without batches, a tool that may need approval and no approve throw before anything is sent", async () => {
    const started = await scriptedServer(vendor);
    const { ran, tools } = paymentTools();
    const run = vendor.run({ url: started.url, tools, stream: false });
    await expect(run).rejects.toThrow(MissingApprovalHandlerError);
    expect(started.requests).toHaveLength(0);
    expect(ran).toHaveLength(0);
  });

  it("resume without batches is an InvalidOptionError naming batches, before anything is sent", async () => {
    const { started, ran, tools, result, checkpoint } = await suspend(vendor, false);
    const run = vendor.run({
      url: started.url,
      tools,
      stream: false,
      resume: checkpoint,
      decisions: [decide(result.pending[0], true)],
    });
    await expect(run).rejects.toThrow(InvalidOptionError);
    await expect(run).rejects.toMatchObject({ option: "batches" });
    await expect(run).rejects.toThrow("batches: resumableBatches()");
    expect(started.requests).toHaveLength(1);
    expect(ran).toHaveLength(3);
  });

  it("resumableBatches({ store }) keeps the suspended batch's checkpoint in the store", async () => {
    const started = await scriptedServer(vendor);
    const { tools } = paymentTools();
    const store = createMemoryBatchStore();
    const batchIds: number[] = [];
    const kept = resumableBatches({
      store,
      batchId: (step) => {
        batchIds.push(step);
        return `loop-step-${step}`;
      },
    });
    const result = await vendor.run({ url: started.url, tools, stream: false, batches: kept });
    expect(result.stopReason).toBe("awaiting-approval");
    if (result.stopReason !== "awaiting-approval") return;
    expect(batchIds).toStrictEqual([0]);
    expect(result.checkpoint.batch.batchId).toBe("loop-step-0");
    const stored = await store.load("loop-step-0");
    expect(stored?.checkpoint).toStrictEqual(result.checkpoint.batch);
  });
});
