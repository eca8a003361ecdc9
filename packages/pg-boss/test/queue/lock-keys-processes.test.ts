import { defineTool, jsonSchema, type ToolCallBatch } from "@toolbatch/core";
import fc from "fast-check";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueExecutor, type QueueExecutor } from "../../src/queue/queue-executor.js";
import { createTestDatabase } from "../support/test-database.js";
import { type ChildWorkers, startChildWorkers } from "./support/child-workers.js";
import { startBoss } from "./support/queue-fixture.js";

// The coordinator's side of lock-worker.ts's tools: names and lock keys; they run on the workers.
const elsewhere = () => {
  throw new Error("runs on the worker processes only");
};
const coordinatorTools = [
  defineTool({
    name: "increment",
    description: "read-modify-write of one counter under a lock key",
    input: jsonSchema<{ key: string }>({ type: "object" }),
    lock: ({ key }) => key,
    execute: elsewhere,
  }),
  defineTool({
    name: "interval",
    description: "records when it ran, under its keys",
    input: jsonSchema<{ id: string; keys: string[] }>({ type: "object" }),
    lock: ({ keys }) => keys,
    execute: elsewhere,
  }),
];

function batchOf(calls: Array<{ name: string; input: unknown }>, prefix: string): ToolCallBatch {
  return {
    provider: "test",
    calls: calls.map((call, index) => ({ id: `${prefix}_${index}`, index, ...call })),
    complete: true,
    turn: null,
  };
}

describe("lock keys across 4 worker processes", () => {
  let sql: pg.Client;
  let boss: PgBoss;
  let executor: QueueExecutor;
  let workers: ChildWorkers;

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("queue_locks");
    sql = new pg.Client({ connectionString });
    await sql.connect();
    await sql.query(`
      CREATE TABLE lock_probe (key text PRIMARY KEY, counter int NOT NULL DEFAULT 0,
        inflight int NOT NULL DEFAULT 0, collisions int NOT NULL DEFAULT 0);
      CREATE TABLE lock_intervals (id text PRIMARY KEY, keys text[] NOT NULL,
        started timestamptz NOT NULL, ended timestamptz);
      INSERT INTO lock_probe (key) VALUES ('hot');`);
    boss = await startBoss(connectionString);
    executor = await createQueueExecutor(boss, { queue: "locks", sweepIntervalMs: 500 });
    workers = await startChildWorkers("./lock-worker.ts", 4, [connectionString, "locks"]);
  }, 60_000);

  afterAll(async () => {
    await workers?.kill();
    await executor?.close();
    await boss?.stop({ graceful: false, close: true });
    await sql?.end();
  });

  it("1,000 read-modify-write calls on one key: 0 overlaps, 0 lost updates", async () => {
    const started = performance.now();
    // 50 batches of 20 at once: within a batch core orders them; across batches only the
    // workers' advisory lock does.
    const batches = Array.from({ length: 50 }, (_, b) =>
      batchOf(
        Array.from({ length: 20 }, () => ({ name: "increment", input: { key: "hot" } })),
        `rmw${b}`,
      ),
    );
    const answered = await Promise.all(
      batches.map((batch) => executor.executeBatch(batch, coordinatorTools)),
    );
    const seconds = (performance.now() - started) / 1000;
    const failures = answered.flat().filter((result) => !result.ok);
    expect(failures).toEqual([]);
    const { rows } = await sql.query(
      "SELECT counter, inflight, collisions FROM lock_probe WHERE key = 'hot'",
    );
    expect(rows[0]).toEqual({ counter: 1000, inflight: 0, collisions: 0 });
    const runs = await sql.query(
      "SELECT count(DISTINCT worker)::int AS workers, count(*)::int AS calls FROM toolbatch.call_runs WHERE tool_name = 'increment'",
    );
    expect(runs.rows[0]).toEqual({ workers: 4, calls: 1000 });
    console.log(
      `[queue] 1000 locked read-modify-write calls on 4 worker processes: ${seconds.toFixed(1)} s`,
    );
  }, 300_000);

  it("calls sharing any of their 1-3 keys never overlap, on any worker (property)", async () => {
    let run = 0;
    let parallelPairs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), {
              minLength: 1,
              maxLength: 3,
            }),
            {
              minLength: 1,
              maxLength: 4,
            },
          ),
          { minLength: 2, maxLength: 8 },
        ),
        async (batchesOfKeys) => {
          run += 1;
          await Promise.all(
            batchesOfKeys.map((calls, b) =>
              executor.executeBatch(
                batchOf(
                  calls.map((keys, c) => ({
                    name: "interval",
                    input: { id: `r${run}b${b}c${c}`, keys },
                  })),
                  `r${run}b${b}`,
                ),
                coordinatorTools,
              ),
            ),
          );
          const overlapping = await sql.query(
            `SELECT a.id, b.id FROM lock_intervals a JOIN lock_intervals b
               ON a.id < b.id AND a.keys && b.keys AND a.started < b.ended AND b.started < a.ended
             WHERE a.id LIKE $1 AND b.id LIKE $1`,
            [`r${run}b%`],
          );
          expect(overlapping.rows).toEqual([]);
          const unfinished = await sql.query("SELECT id FROM lock_intervals WHERE ended IS NULL");
          expect(unfinished.rows).toEqual([]);
          const parallel = await sql.query(
            `SELECT count(*)::int AS n FROM lock_intervals a JOIN lock_intervals b
               ON a.id < b.id AND NOT a.keys && b.keys AND a.started < b.ended AND b.started < a.ended
             WHERE a.id LIKE $1 AND b.id LIKE $1`,
            [`r${run}b%`],
          );
          parallelPairs += parallel.rows[0].n as number;
        },
      ),
      { numRuns: 30 },
    );
    const total = await sql.query("SELECT count(*)::int AS n FROM lock_intervals");
    console.log(
      `[queue] ${total.rows[0].n} multi-key calls in 30 runs: 0 overlapping pairs sharing a key, ${parallelPairs} overlapping pairs with disjoint keys`,
    );
  }, 120_000);
});
