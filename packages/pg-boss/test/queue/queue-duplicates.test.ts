import { defineTool, jsonSchema, type ToolCallBatch } from "@toolbatch/core";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueExecutor, type QueueExecutor } from "../../src/queue/queue-executor.js";
import { callJobId } from "../../src/queue/queue-protocol.js";
import { createTestDatabase } from "../support/test-database.js";
import { type QueueHarness, startBoss, startHarness } from "./support/queue-fixture.js";

const runs = new Map<string, number>();
let hold: Promise<void> = Promise.resolve();
let holding: () => void = () => {};

const tools = [
  defineTool({
    name: "count",
    description: "counts its runs per call",
    input: jsonSchema<{ n: number }>({ type: "object" }),
    execute: async ({ n }, { call }) => {
      runs.set(call.id, (runs.get(call.id) ?? 0) + 1);
      holding();
      await hold;
      return n * 2;
    },
  }),
];

function batchOf(size: number, prefix: string): ToolCallBatch {
  return {
    provider: "test",
    calls: Array.from({ length: size }, (_, index) => ({
      id: `${prefix}_${index}`,
      name: "count",
      input: { n: index },
      index,
    })),
    complete: true,
    turn: null,
  };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  // The engine's state can only be polled: bounded, generous.
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition not reached in 15 s");
}

describe("duplicate deliveries and duplicate submissions run each call once", () => {
  let harness: QueueHarness;
  let otherBoss: PgBoss;
  let other: QueueExecutor;
  let sql: pg.Client;

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("queue_duplicates");
    harness = await startHarness(connectionString, tools, { workers: 2, queue: "dupes" });
    otherBoss = await startBoss(connectionString);
    other = await createQueueExecutor(otherBoss, { queue: "dupes", sweepIntervalMs: 500 });
    sql = new pg.Client({ connectionString });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await other?.close();
    await otherBoss?.stop({ graceful: false, close: true });
    await harness?.stop();
  });

  it("the same batch run by two coordinators at once: one job per call, each run once, same results", async () => {
    const batch = batchOf(8, "twice");
    const [first, second] = await Promise.all([
      harness.executor.runBatch(batch, tools, { batchId: "batch-twice" }),
      other.runBatch(batch, tools, { batchId: "batch-twice" }),
    ]);
    expect(first.status).toBe("complete");
    expect(first.status === "complete" && first.results).toStrictEqual(
      second.status === "complete" && second.results,
    );
    expect(
      first.status === "complete" && first.results.map((result) => result.ok && result.output),
    ).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect([...runs].filter(([id]) => id.startsWith("twice_")).map(([, count]) => count)).toEqual(
      Array(8).fill(1),
    );
    const jobs = await sql.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dupes' AND data->>'batchId' = 'batch-twice'",
    );
    expect(jobs.rows[0].n).toBe(8);
  });

  it("a settled call's job sent again (its job deleted by retention, the batch resumed) is answered from the ledger", async () => {
    const batch = batchOf(2, "again");
    const before = await harness.executor.runBatch(batch, tools, { batchId: "batch-again" });
    const ids = batch.calls.map((call) => callJobId("batch-again", call.id));
    await sql.query("DELETE FROM pgboss.job WHERE id = ANY($1::uuid[])", [ids]);
    const after = await other.runBatch(batch, tools, { batchId: "batch-again" });
    expect(after.status === "complete" && after.results).toStrictEqual(
      before.status === "complete" && before.results,
    );
    expect([runs.get("again_0"), runs.get("again_1")]).toEqual([1, 1]);
    // The second jobs exist and were completed by a worker, from the ledger.
    // The coordinator answered from the ledger at once; the workers complete the jobs from it.
    await until(async () => {
      const { rows } = await sql.query(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) AND state = 'completed'",
        [ids],
      );
      return rows[0].n === 2;
    });
    expect([runs.get("again_0"), runs.get("again_1")]).toEqual([1, 1]);
  });

  it("a second delivery while the first still runs waits for it and answers its result", async () => {
    let release: () => void = () => {};
    hold = new Promise((resolve) => {
      release = resolve;
    });
    const started = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const batch = batchOf(1, "redelivered");
    const jobId = callJobId("batch-redelivered", "redelivered_0");
    const answering = harness.executor.runBatch(batch, tools, { batchId: "batch-redelivered" });
    await started;
    // pg-boss fails the running attempt (as an expiry would) and retries it: the other worker
    // takes it while the first attempt's tool still runs.
    await otherBoss.fail("dupes", jobId);
    await until(async () => {
      const { rows } = await sql.query(
        `SELECT (SELECT state FROM pgboss.job WHERE id = $1) AS state,
                (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted) AS waiting`,
        [jobId],
      );
      return rows[0].state === "active" && rows[0].waiting > 0;
    }).catch((error) => {
      release();
      throw error;
    });
    release();
    const outcome = await answering;
    expect(outcome.status === "complete" && outcome.results).toEqual([
      { callId: "redelivered_0", name: "count", ok: true, output: 0 },
    ]);
    expect(runs.get("redelivered_0")).toBe(1);
    await until(async () => {
      const { rows } = await sql.query("SELECT state FROM pgboss.job WHERE id = $1", [jobId]);
      return rows[0].state === "completed";
    });
    const job = await sql.query("SELECT output FROM pgboss.job WHERE id = $1", [jobId]);
    expect(job.rows[0].output).toEqual({
      callId: "redelivered_0",
      name: "count",
      ok: true,
      output: 0,
    });
  });
});
