import { defineTool, type ExecutionEvent, jsonSchema, type ToolCallBatch } from "@toolbatch/core";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueExecutor, type QueueExecutor } from "../../src/queue/queue-executor.js";
import { createTestDatabase } from "../support/test-database.js";
import { type ChildWorkers, startChildWorkers } from "./support/child-workers.js";
import { startBoss } from "./support/queue-fixture.js";

const elsewhere = () => {
  throw new Error("runs on the worker processes only");
};
const input = jsonSchema<{ n: number }>({ type: "object" });
const tools = [
  defineTool({ name: "charge", description: "not idempotent", input, execute: elsewhere }),
  defineTool({
    name: "lookup",
    description: "idempotent",
    input,
    idempotent: true,
    execute: elsewhere,
  }),
];

function batchOf(name: string, id: string): ToolCallBatch {
  return {
    provider: "test",
    calls: [{ id, name, input: { n: 1 }, index: 0 }],
    complete: true,
    turn: null,
  };
}

describe("a worker killed with SIGKILL mid-call", () => {
  let connectionString: string;
  let sql: pg.Client;
  let boss: PgBoss;
  const children: ChildWorkers[] = [];

  beforeAll(async () => {
    ({ connectionString } = await createTestDatabase("queue_killed"));
    sql = new pg.Client({ connectionString });
    await sql.connect();
    await sql.query("CREATE TABLE effects (call_id text NOT NULL, pid int NOT NULL)");
    // This instance's supervisor expires the dead worker's job (expireInSeconds 1, checked every second).
    boss = await startBoss(connectionString, { supervise: true });
  });
  afterAll(async () => {
    for (const child of children) await child.kill();
    await boss?.stop({ graceful: false, close: true });
    await sql?.end();
  });

  /** Runs one call on a worker that hangs in it; kills that worker once the tool took effect. */
  async function killMidCall(executor: QueueExecutor, queue: string, name: string, id: string) {
    const hanging = await startChildWorkers("./kill-worker.ts", 1, [
      connectionString,
      queue,
      "hang",
    ]);
    children.push(hanging);
    const events: ExecutionEvent[] = [];
    const answering = executor.executeBatch(batchOf(name, id), tools, {
      onEvent: (event) => events.push(event),
    });
    // The engine's state can only be polled: bounded, generous.
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const { rows } = await sql.query("SELECT 1 FROM effects WHERE call_id = $1", [id]);
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await hanging.kill();
    expect(hanging.children[0]?.signalCode).toBe("SIGKILL");
    return { answering, events };
  }

  it("a non-idempotent call is answered outcome_unknown by the next worker, never run again", async () => {
    const executor = await createQueueExecutor(boss, { queue: "killed", expireInSeconds: 1 });
    try {
      const { answering, events } = await killMidCall(executor, "killed", "charge", "charge_1");
      children.push(
        await startChildWorkers("./kill-worker.ts", 1, [connectionString, "killed", "finish"]),
      );
      const [result] = await answering;
      expect(result).toEqual({
        callId: "charge_1",
        name: "charge",
        ok: false,
        error: {
          code: "outcome_unknown",
          message:
            'Tool "charge" started on a worker that stopped before it finished, so its outcome was never recorded: what it does may or may not have taken effect. Check before calling it again.',
        },
      });
      expect(events.filter((event) => event.type === "call-end")).toHaveLength(1);
      const effects = await sql.query(
        "SELECT count(*)::int AS n FROM effects WHERE call_id = 'charge_1'",
      );
      expect(effects.rows[0].n).toBe(1);
    } finally {
      await executor.close();
    }
  }, 60_000);

  it("an idempotent call runs again on another worker and is answered once, with its output", async () => {
    const executor = await createQueueExecutor(boss, { queue: "killed_idem", expireInSeconds: 1 });
    try {
      const { answering, events } = await killMidCall(
        executor,
        "killed_idem",
        "lookup",
        "lookup_1",
      );
      const finisher = await startChildWorkers("./kill-worker.ts", 1, [
        connectionString,
        "killed_idem",
        "finish",
      ]);
      children.push(finisher);
      const [result] = await answering;
      expect(result).toEqual({
        callId: "lookup_1",
        name: "lookup",
        ok: true,
        output: finisher.children[0]?.pid,
      });
      expect(events.filter((event) => event.type === "call-end")).toHaveLength(1);
      const effects = await sql.query(
        "SELECT pid FROM effects WHERE call_id = 'lookup_1' ORDER BY pid",
      );
      expect(effects.rows).toHaveLength(2);
      const run = await sql.query(
        "SELECT state, attempts FROM toolbatch.call_runs WHERE call_id = 'lookup_1'",
      );
      expect(run.rows).toEqual([{ state: "settled", attempts: 2 }]);
    } finally {
      await executor.close();
    }
  }, 60_000);

  it("with no retry left, the coordinator's sweep answers outcome_unknown from the ledger", async () => {
    const executor = await createQueueExecutor(boss, {
      queue: "killed_final",
      expireInSeconds: 1,
      retryLimit: 0,
      sweepIntervalMs: 200,
    });
    try {
      const { answering } = await killMidCall(executor, "killed_final", "charge", "charge_final");
      const [result] = await answering;
      expect(result).toMatchObject({ ok: false, error: { code: "outcome_unknown" } });
      const job = await sql.query("SELECT state FROM pgboss.job WHERE name = 'killed_final'");
      expect(job.rows).toEqual([{ state: "failed" }]);
    } finally {
      await executor.close();
    }
  }, 60_000);
});
