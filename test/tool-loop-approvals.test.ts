import { type ApprovalQuestion, type ExecutionEvent, InvalidOptionError } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { watchUnhandledRejections } from "./support/loop-outcomes.js";
import { LOOP_VENDORS } from "./support/loop-vendors.js";
import { paymentTools, scriptedServer } from "./support/payment-turn.js";

// Issue 16: runToolLoop passes `approve` to every step's executor. One of four parallel calls
// needs approval and is denied; the other three run meanwhile, and the vendor gets all four
// results in one follow-up, the denied one with the text the model reads.

const REASON = "payments over 100 need a manager";
const DENIED = `Tool "send_payment" was not run: running this call was denied. The reason given: "${REASON}". Do not call it again unless the user asks you to.`;

const unhandled = watchUnhandledRejections();
const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop with approve (%s)", (_name, vendor) => {
  it.each([false, true])(
    "a denied call is answered in the same follow-up as the three that ran (stream: %s)",
    async (stream) => {
      const started = await scriptedServer(vendor);
      const { ran, tools } = paymentTools();
      const asked: ApprovalQuestion[] = [];
      const events: string[] = [];
      const result = await vendor.run({
        url: started.url,
        tools,
        stream,
        approve: (question) => {
          asked.push(question);
          return { approved: false, reason: REASON };
        },
        onEvent: (event: ExecutionEvent & { step: number }) => {
          if (event.type.startsWith("approval-")) events.push(`${event.type}@${event.step}`);
        },
      });

      expect(result.stopReason).toBe("done");
      // Two requests: the turn with four calls, then one follow-up with all four results.
      expect(started.requests).toHaveLength(2);
      expect(asked.map((question) => [question.toolName, question.input])).toStrictEqual([
        ["send_payment", { amount: 250 }],
      ]);
      expect(events).toStrictEqual(["approval-requested@0", "approval-decided@0"]);
      const step = result.steps[0];
      const [paymentId, ...lookupIds] = [1, 0, 2, 3].map((i) => step?.batch.calls[i]?.id);
      // The denied call never ran; the other three did.
      expect(ran.sort()).toStrictEqual([...lookupIds].sort());
      expect(ran).not.toContain(paymentId);
      expect(step?.results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
        "ok",
        "denied",
        "ok",
        "ok",
      ]);
      // What the vendor got back, in call order: the scripted model read it off the follow-up
      // and wrote it into its answer (unquoted here: each vendor's answer is JSON of its own).
      const answer = JSON.stringify(result.finalTurn).replace(/[\\"]/g, "");
      const at = ["found Paris", DENIED.replace(/"/g, ""), "found Lima", "found Oslo"].map((text) =>
        answer.indexOf(text),
      );
      expect(at.every((position) => position >= 0)).toBe(true);
      expect(at[0]).toBeLessThan(at[1] as number);
      expect(at[1]).toBeLessThan(at[2] as number);
      expect(at[2]).toBeLessThan(at[3] as number);
      // And the result itself carries the whole text the model reads.
      expect(step?.results[1]).toMatchObject({ error: { message: DENIED } });
      expect(vendor.validateHistory(result.history)).toStrictEqual([]);
      expect(unhandled.reasons.splice(0)).toStrictEqual([]);
    },
  );

  it("an abort while a decision is awaited answers the waiting call not_executed and keeps the rest", async () => {
    const started = await scriptedServer(vendor);
    const { ran, tools } = paymentTools();
    const controller = new AbortController();
    let ended = 0;
    const result = await vendor.run({
      url: started.url,
      tools,
      stream: false,
      signal: controller.signal,
      // Never answers: only the abort ends the wait.
      approve: () => new Promise(() => {}),
      onEvent: (event) => {
        // The three lookups are answered while the payment waits; then the user gives up.
        if (event.type === "call-end" && ++ended === 3) controller.abort();
      },
    });
    expect(result.stopReason).toBe("aborted");
    expect(started.requests).toHaveLength(1);
    const step = result.steps[0] ?? result.interrupted;
    expect(step?.results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "ok",
      "not_executed",
      "ok",
      "ok",
    ]);
    expect(ran).toHaveLength(3);
    expect(ran).not.toContain(step?.batch.calls[1]?.id);
    expect(vendor.validateHistory(result.history)).toStrictEqual([]);
    expect(unhandled.reasons.splice(0)).toStrictEqual([]);
  });

  it("an approve that is not a function fails before anything is sent", async () => {
    const started = await scriptedServer(vendor);
    const { ran, tools } = paymentTools();
    // Without approve the loop suspends instead (tool-loop-suspend.test.ts).
    const wrong = vendor.run({ url: started.url, tools, stream: false, approve: "yes" as never });
    await expect(wrong).rejects.toThrow(InvalidOptionError);
    expect(started.requests).toHaveLength(0);
    expect(ran).toStrictEqual([]);
  });
});
