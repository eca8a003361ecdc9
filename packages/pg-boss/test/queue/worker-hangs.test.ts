import {
  type CallReleaseEvent,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  type ToolCallBatch,
} from "@toolbatch/core";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueExecutor, type QueueExecutor } from "../../src/queue/queue-executor.js";
import { createTestDatabase } from "../support/test-database.js";
import { type QueueHarness, startBoss, startHarness } from "./support/queue-fixture.js";

// Issue 17, "a worker that hangs past its expiry": a tool that ignores its signal, with a time
// limit of 300 ms. The coordinator answers `timeout` while the tool still runs; pg-boss expires
// the job (300 ms + 1 s of grace, rounded up: 2 s) and retries it on the other worker, whose
// delivery waits on the call's advisory lock, held by the first worker until the tool really
// ends. Released by the test, the tool's real outcome lands in the ledger; it ran once.

let release: () => void = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});
let sql: pg.Pool;

const hang = defineTool({
  name: "hang",
  description: "ignores its signal; ends when the test says so",
  input: jsonSchema<Record<string, never>>({ type: "object" }),
  timeoutMs: 300,
  execute: async (_input, { call }) => {
    await sql.query("INSERT INTO hang_runs (call_id) VALUES ($1)", [call.id]);
    await released;
    return "ended late";
  },
});

const batch: ToolCallBatch = {
  provider: "test",
  calls: [{ id: "hang_1", name: "hang", input: {}, index: 0 }],
  complete: true,
  turn: null,
};

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  // The engine's state can only be polled: bounded, generous.
  for (let attempt = 0; attempt < 800; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what}: not reached in 20 s`);
}

describe("a worker that hangs past its job's expiry", () => {
  let harness: QueueHarness;
  let supervisor: PgBoss;
  let executor: QueueExecutor;

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("queue_hangs");
    sql = new pg.Pool({ connectionString, max: 4 });
    await sql.query("CREATE TABLE hang_runs (call_id text NOT NULL)");
    // Two workers running one call each: the retry can only go to the one not hanging.
    harness = await startHarness(connectionString, [hang], {
      workers: 2,
      concurrency: 1,
      queue: "hangs",
    });
    // This instance's supervisor expires the job (checked every second).
    supervisor = await startBoss(connectionString, { supervise: true });
    executor = await createQueueExecutor(supervisor, {
      queue: "hangs",
      graceSeconds: 1,
      sweepIntervalMs: 200,
    });
  });
  afterAll(async () => {
    release();
    await executor?.close();
    await harness?.stop();
    await supervisor?.stop({ graceful: false, close: true });
    await sql?.end();
  });

  it("answers timeout on time; the retry waits on the call's lock; the tool's real end is recorded once", async () => {
    const events: ExecutionEvent[] = [];
    const [result] = await executor.executeBatch(batch, [hang], {
      onEvent: (event) => events.push(event),
    });
    // Answered while the tool still runs: the test has not released it.
    expect(result).toMatchObject({ callId: "hang_1", ok: false, error: { code: "timeout" } });

    // pg-boss expired the first attempt and delivered the retry, which waits for the call's lock.
    await until("the retry waiting on the call's lock", async () => {
      const { rows } = await sql.query(
        `SELECT j.retry_count AS retries, j.state,
                (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted) AS waiting
         FROM pgboss.job j WHERE j.name = 'hangs'`,
      );
      const row = rows[0] as { retries: number; state: string; waiting: number };
      return row.retries >= 1 && row.state === "active" && row.waiting === 1;
    });
    const running = await sql.query("SELECT state, attempts FROM toolbatch.call_runs");
    expect(running.rows).toStrictEqual([{ state: "started", attempts: 1 }]);

    release();
    await until("the call settled and its job completed", async () => {
      const { rows } = await sql.query(
        `SELECT r.state AS run, j.state AS job FROM toolbatch.call_runs r
         JOIN pgboss.job j ON j.name = 'hangs' AND j.id = r.job_id`,
      );
      return rows[0]?.run === "settled" && rows[0]?.job === "completed";
    });
    const ledger = await sql.query("SELECT state, attempts, result FROM toolbatch.call_runs");
    expect(ledger.rows).toStrictEqual([
      {
        state: "settled",
        attempts: 1,
        result: { callId: "hang_1", name: "hang", ok: true, output: "ended late" },
      },
    ]);
    const runs = await sql.query("SELECT count(*)::int AS n FROM hang_runs");
    expect(runs.rows[0].n).toBe(1);
    // The coordinator learns the tool's real end too, after its answer.
    await until("call-release on the coordinator", async () =>
      events.some((event) => event.type === "call-release"),
    );
    const released = events.find(
      (event): event is CallReleaseEvent => event.type === "call-release",
    );
    expect(released?.outcome).toMatchObject({ ok: true, output: "ended late" });
    expect(events.filter((event) => event.type === "call-end")).toHaveLength(1);
  });
});
