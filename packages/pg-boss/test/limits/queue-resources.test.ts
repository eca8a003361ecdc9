import {
  createResourceLimiter,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  type ResourceLimiter,
  type ToolCallBatch,
} from "@toolbatch/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresResourceLimiter, createQueueExecutor } from "../../src/index.js";
import { type QueueHarness, startBoss, startHarness } from "../queue/support/queue-fixture.js";
import { createTestDatabase } from "../support/test-database.js";

// Issue 19 on the queue executor: the stand-in tools carry the tool's `resources`, so a limiter
// given to a queue batch limits its calls as in the process; with the PostgreSQL limiter, two
// coordinators (each its own PgBoss and executor) share one budget for calls run on workers.

let sql: pg.Pool;
const tool = defineTool({
  name: "call_api",
  description: "Calls the shared API",
  input: jsonSchema<{ n: number }>({ type: "object" }),
  resources: () => "api",
  execute: async ({ n }) => {
    const { rows } = await sql.query(
      "UPDATE in_flight SET n = n + 1, peak = greatest(peak, n + 1) RETURNING n",
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sql.query("UPDATE in_flight SET n = n - 1");
    return { n, seen: rows[0].n };
  },
});
const batchOf = (prefix: string, size: number): ToolCallBatch => ({
  provider: "test",
  complete: true,
  turn: null,
  calls: Array.from({ length: size }, (_, index) => ({
    id: `${prefix}_${index}`,
    index,
    name: "call_api",
    input: { n: index },
  })),
});

describe("resources through the queue executor", () => {
  let connectionString: string;
  let harness: QueueHarness;

  beforeAll(async () => {
    ({ connectionString } = await createTestDatabase("queue_resources"));
    sql = new pg.Pool({ connectionString, max: 8 });
    await sql.query(
      "CREATE TABLE in_flight (n int NOT NULL, peak int NOT NULL); INSERT INTO in_flight VALUES (0, 0)",
    );
    harness = await startHarness(connectionString, [tool], { workers: 2, queue: "resources" });
  });
  afterAll(async () => {
    await harness?.stop();
    await sql?.end();
  });

  /** Runs a batch of 4 calls on each coordinator at once, each with its limiter. */
  const run = async (coordinators: [QueueHarness["executor"], ResourceLimiter][]) => {
    await sql.query("UPDATE in_flight SET peak = 0");
    const waits: ExecutionEvent[] = [];
    const results = await Promise.all(
      coordinators.map(([executor, limiter], index) =>
        executor.executeBatch(batchOf(`b${index}`, 4), [tool], {
          limiter,
          onEvent: (event) => {
            if (event.type === "call-wait") waits.push(event);
          },
        }),
      ),
    );
    const { rows } = await sql.query("SELECT peak FROM in_flight");
    return { results, waits, peak: rows[0].peak as number };
  };

  it("forwards resources: core's in-process limiter of concurrency 1 holds calls run on workers", async () => {
    const limiter = createResourceLimiter({ api: { concurrency: 1 } });
    const { results, waits, peak } = await run([[harness.executor, limiter]]);
    expect(results.flat().map((result) => result.ok)).toStrictEqual([true, true, true, true]);
    expect(peak).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((event) => event.type === "call-wait" && event.resource === "api")).toBe(
      true,
    );
  });

  it("two coordinators on their own connections share the PostgreSQL limiter's budget", async () => {
    const bosses = [await startBoss(connectionString), await startBoss(connectionString)];
    try {
      // Each coordinator: its own PgBoss, executor and limiter object; only the database is shared.
      const coordinators: [QueueHarness["executor"], ResourceLimiter][] = [];
      for (const boss of bosses) {
        const executor = await createQueueExecutor(boss, {
          queue: "resources",
          sweepIntervalMs: 500,
        });
        const limiter = await createPostgresResourceLimiter(boss.getDb(), {
          api: { concurrency: 1 },
        });
        coordinators.push([executor, limiter]);
      }
      const { results, waits, peak } = await run(coordinators);
      expect(results.flat().map((result) => [result.callId, result.ok])).toStrictEqual(
        ["b0", "b1"].flatMap((prefix) => [0, 1, 2, 3].map((n) => [`${prefix}_${n}`, true])),
      );
      expect(peak).toBe(1);
      expect(waits.length).toBeGreaterThan(0);
      for (const [executor, limiter] of coordinators) {
        await executor.close();
        await (limiter as Awaited<ReturnType<typeof createPostgresResourceLimiter>>).close();
      }
    } finally {
      await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, close: true })));
    }
  });
});
