import {
  type BatchCheckpoint,
  type BatchStore,
  createMemoryBatchStore,
  defineTool,
  InvalidOptionError,
  jsonSchema,
  parseToolLoopCheckpoint,
  resumableBatches,
  type ToolLoopCheckpoint,
  ToolLoopError,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { watchUnhandledRejections } from "./support/loop-outcomes.js";
import { LOOP_VENDORS, type LoopVendor } from "./support/loop-vendors.js";
import { scriptedServer } from "./support/payment-turn.js";

// Issue 16: `onStep` hands out the loop's state as plain JSON, so that an application can persist
// it and continue in another process after a crash without running finished steps again. The
// scripted turn: three lookups and a payment in parallel, then the model's answer.

const unhandled = watchUnhandledRejections();
const approve = () => ({ approved: true as const });

/**
 * The payment turn's tools, counting their runs. A lookup of `hangOn` never ends: the process
 * running it "dies" there (the test abandons that loop).
 */
function tools(options: { hangOn?: string; idempotent?: boolean } = {}) {
  const ran: string[] = [];
  const lookup = defineTool({
    name: "lookup",
    description: "Looks a city up.",
    input: jsonSchema<{ city: string }>({ type: "object" }),
    ...(options.idempotent ? { idempotent: true } : {}),
    execute: ({ city }) => {
      ran.push(city);
      return city === options.hangOn ? new Promise<string>(() => {}) : `found ${city}`;
    },
  });
  const pay = defineTool({
    name: "send_payment",
    description: "Sends a payment.",
    input: jsonSchema<{ amount: number }>({ type: "object" }),
    needsApproval: true,
    execute: () => {
      ran.push("payment");
      return "paid";
    },
  });
  return { ran, tools: [lookup, pay] };
}

/** Each checkpoint `onStep` got, through JSON text as a store would keep it. */
function recorder() {
  const kept: ToolLoopCheckpoint[] = [];
  const onStep = (checkpoint: ToolLoopCheckpoint) => {
    kept.push(JSON.parse(JSON.stringify(checkpoint)) as ToolLoopCheckpoint);
  };
  return { kept, onStep };
}

/** A memory store that tells when a saved checkpoint's ledger holds `settled` outcomes. */
function watchedStore(settled: number) {
  const store = createMemoryBatchStore();
  let reached: () => void = () => {};
  const reachedIt = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const watched: BatchStore = {
    load: (batchId) => store.load(batchId),
    async save(batchId: string, checkpoint: BatchCheckpoint, expected: number) {
      const version = await store.save(batchId, checkpoint, expected);
      const entries = Object.values(checkpoint.ledger);
      if (entries.filter((entry) => entry.state === "settled").length >= settled) reached();
      return version;
    },
  };
  return { store: watched, reached: reachedIt };
}

const outputs = (results: readonly { ok: boolean }[] | undefined) =>
  results?.map((r) =>
    "output" in r ? r.output : (r as unknown as { error: { code: string } }).error.code,
  );

describe.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "runToolLoop's onStep (%s)",
  (_name, vendor: LoopVendor) => {
    it("hands out the state after every step; a fresh loop resumes after step 0 without running it again", async () => {
      const started = await scriptedServer(vendor);
      const first = tools();
      const { kept, onStep } = recorder();
      const whole = await vendor.run({
        url: started.url,
        tools: first.tools,
        stream: false,
        approve,
        more: { onStep },
      });
      expect(whole.stopReason).toBe("done");
      expect(first.ran).toHaveLength(4);
      // Without batches: only the states between steps, after step 0 and after step 1.
      expect(kept.map((checkpoint) => [checkpoint.step, checkpoint.batch])).toStrictEqual([
        [1, undefined],
        [2, undefined],
      ]);
      const afterFirst = kept[0] as ToolLoopCheckpoint;
      expect(parseToolLoopCheckpoint(afterFirst)).toStrictEqual(afterFirst);
      const answer = whole.steps[1]?.followUp.length ?? 0;
      expect(afterFirst.history).toStrictEqual(
        whole.history.slice(0, whole.history.length - answer),
      );
      expect(vendor.validateHistory(afterFirst.history)).toStrictEqual([]);

      // "Crash" after step 0: another loop continues from its state, with new tool objects.
      const second = tools();
      const resumed = await vendor.run({
        url: started.url,
        tools: second.tools,
        stream: false,
        approve,
        batches: resumableBatches(),
        resume: afterFirst,
      });
      expect(resumed.stopReason).toBe("done");
      expect(second.ran).toStrictEqual([]);
      // One request more: step 1's, with the history after step 0.
      expect(started.requests).toHaveLength(3);
      expect(resumed.history).toStrictEqual(whole.history);
      expect(resumed.steps.map((step) => step.index)).toStrictEqual([1]);
      expect(unhandled.reasons.splice(0)).toStrictEqual([]);
    });

    it.each([false, true])(
      "with batches and a store, a crash while the turn's calls run resumes the batch: finished calls never run again (idempotent lookup: %s)",
      async (idempotent) => {
        const started = await scriptedServer(vendor);
        const { store, reached } = watchedStore(3);
        const batches = resumableBatches({ store });
        const first = tools({ hangOn: "Lima", idempotent });
        const { kept, onStep } = recorder();
        // The first process: Lima's lookup never ends; it "dies" once the other three settled.
        void vendor.run({
          url: started.url,
          tools: first.tools,
          stream: false,
          approve,
          batches,
          more: { onStep },
        });
        await reached;
        expect([...first.ran].sort()).toStrictEqual(["Lima", "Oslo", "Paris", "payment"]);
        // The state handed out before the calls ran: step 0, its batch opened, nothing run.
        expect(kept).toHaveLength(1);
        const inProgress = kept[0] as ToolLoopCheckpoint;
        expect(inProgress.step).toBe(0);
        expect(inProgress.batch?.ledger).toStrictEqual({});
        expect(parseToolLoopCheckpoint(inProgress)).toStrictEqual(inProgress);

        const second = tools({ idempotent });
        const resumed = await vendor.run({
          url: started.url,
          tools: second.tools,
          stream: false,
          approve,
          batches,
          resume: inProgress,
        });
        expect(resumed.stopReason).toBe("done");
        // Only Lima's lookup may run again, and only when the tool says it may.
        expect(second.ran).toStrictEqual(idempotent ? ["Lima"] : []);
        expect(outputs(resumed.steps[0]?.results)).toStrictEqual([
          "found Paris",
          "paid",
          idempotent ? "found Lima" : "outcome_unknown",
          "found Oslo",
        ]);
        // One follow-up with the four results; the history is valid for the vendor.
        expect(started.requests).toHaveLength(2);
        expect(vendor.validateHistory(resumed.history)).toStrictEqual([]);
        expect(unhandled.reasons.splice(0)).toStrictEqual([]);
      },
    );

    it("an onStep that rejects stops the loop with a ToolLoopError; with batches, before the turn's calls run", async () => {
      const started = await scriptedServer(vendor);
      const first = tools();
      const failure = new Error("disk full");
      const run = vendor.run({
        url: started.url,
        tools: first.tools,
        stream: false,
        approve,
        batches: resumableBatches(),
        more: { onStep: () => Promise.reject(failure) },
      });
      await expect(run).rejects.toThrow(ToolLoopError);
      await expect(run).rejects.toMatchObject({ cause: failure, step: 0 });
      expect(first.ran).toStrictEqual([]);
      expect(started.requests).toHaveLength(1);
    });

    it("refuses an onStep that is not a function, and decisions for a state between steps, before anything is sent", async () => {
      const started = await scriptedServer(vendor);
      const first = tools();
      const notAFunction = vendor.run({
        url: started.url,
        tools: first.tools,
        stream: false,
        approve,
        more: { onStep: "save" },
      });
      await expect(notAFunction).rejects.toThrow(InvalidOptionError);
      await expect(notAFunction).rejects.toMatchObject({ option: "onStep" });
      const between = {
        schemaVersion: 1,
        provider: vendor.name,
        request: {},
        history: [],
        step: 1,
      } as const;
      const decided = vendor.run({
        url: started.url,
        tools: first.tools,
        stream: false,
        approve,
        batches: resumableBatches(),
        resume: between,
        decisions: [{ callId: "x", digest: "y", approved: true }],
      });
      await expect(decided).rejects.toMatchObject({ option: "decisions" });
      expect(started.requests).toHaveLength(0);
      expect(first.ran).toStrictEqual([]);
    });
  },
);
