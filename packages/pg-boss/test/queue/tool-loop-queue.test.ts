import type { ApprovalRequest } from "@toolbatch/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOOP_VENDORS, type LoopVendor } from "../../../../test/support/loop-vendors.js";
import { paymentTools, scriptedServer } from "../../../../test/support/payment-turn.js";
import { createPostgresBatchStore } from "../../src/index.js";
import { createTestDatabase } from "../support/test-database.js";
import { type QueueHarness, startHarness } from "./support/queue-fixture.js";

// Issue 17 with issue 16's turn: runToolLoop with `batches: queue.batches({ store })`, through the
// OpenAI SDK against the contract kit's loopback server (the loop tests' vendors and scripted
// turn, from the repository's test/support). Four parallel calls, a payment of 250 needing
// approval: the three lookups run on the two in-process workers, the loop suspends; resumed with
// the approval, the payment runs on a worker, and the follow-up carries four results in order.

const vendor = LOOP_VENDORS.find((each) => each.name === "openai-chat") as LoopVendor;
const { ran, tools } = paymentTools();

describe("runToolLoop through the queue (openai-chat)", () => {
  let harness: QueueHarness;
  let sql: pg.Pool;

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("queue_tool_loop");
    sql = new pg.Pool({ connectionString, max: 4 });
    harness = await startHarness(connectionString, tools, { workers: 2, queue: "loop" });
  });
  afterAll(async () => {
    await harness?.stop();
    await sql?.end();
  });

  it("runs the lookups on workers, suspends on the payment, runs it on a worker on resume", async () => {
    const started = await scriptedServer(vendor);
    const batches = harness.executor.batches({ store: createPostgresBatchStore(sql) });
    const first = await vendor.run({ batches, url: started.url, tools, stream: false });
    if (first.stopReason !== "awaiting-approval") {
      throw new Error(`the loop stopped ${first.stopReason}`);
    }
    const calls = first.checkpoint.batch.batch.calls;
    const [paymentId, ...lookupIds] = [1, 0, 2, 3].map((index) => calls[index]?.id);
    expect([...ran].sort()).toStrictEqual([...lookupIds].sort());
    const ledger = () =>
      sql.query<{ call_id: string; worker: string; state: string; attempts: number }>(
        "SELECT call_id, worker, state, attempts FROM toolbatch.call_runs ORDER BY call_id",
      );
    const afterFirst = await ledger();
    expect(afterFirst.rows.map((row) => row.call_id)).toStrictEqual([...lookupIds].sort());

    // Through JSON, as in another process.
    const checkpoint = JSON.parse(JSON.stringify(first.checkpoint)) as typeof first.checkpoint;
    const request = first.pending[0] as ApprovalRequest;
    const resumed = await vendor.run({
      batches,
      url: started.url,
      tools,
      stream: false,
      resume: checkpoint,
      decisions: [{ callId: request.callId, digest: request.digest, approved: true }],
    });
    expect(resumed.stopReason).toBe("done");
    expect(started.requests).toHaveLength(2);
    // Each call ran once, every one on a worker (its ledger row names it).
    expect(ran).toHaveLength(4);
    expect(ran.filter((id) => id === paymentId)).toHaveLength(1);
    const rows = (await ledger()).rows;
    expect(rows.map((row) => row.call_id)).toStrictEqual(calls.map((call) => call.id).sort());
    for (const row of rows) {
      expect(row).toMatchObject({ state: "settled", attempts: 1 });
      expect(row.worker).toMatch(/^worker-[01]$/);
    }
    const outputs = ["found Paris", "paid", "found Lima", "found Oslo"];
    expect(resumed.steps[0]?.results.map((r) => (r.ok ? r.output : r.error))).toStrictEqual(
      outputs,
    );
    // The follow-up's four results, in call order, as the scripted model wrote them back.
    const answer = JSON.stringify(resumed.finalTurn).replace(/[\\"]/g, "");
    const at = outputs.map((text) => answer.indexOf(text));
    expect(at.every((position) => position >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toStrictEqual(at);
    expect(vendor.validateHistory(resumed.history)).toStrictEqual([]);
  });
});
