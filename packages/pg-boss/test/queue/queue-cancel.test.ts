import {
  type CallReleaseEvent,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  type ToolCallBatch,
} from "@toolbatch/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolWorker } from "../../src/queue/tool-worker.js";
import { createTestDatabase } from "../support/test-database.js";
import { type QueueHarness, startBoss, startHarness } from "./support/queue-fixture.js";

/** A promise and its resolver. */
function gate<T = void>() {
  let open: (value: T) => void = () => {};
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const input = jsonSchema<{ key: string }>({ type: "object" });
let started = gate();
let release = gate();
const seen: string[] = [];

const tools = [
  defineTool({
    name: "until_aborted",
    description: "runs until its signal is aborted",
    input,
    execute: (_input, { signal }) =>
      new Promise((_resolve, reject) => {
        started.open();
        signal.addEventListener("abort", () => {
          seen.push("aborted");
          reject(new Error("stopped on the signal"));
        });
      }),
  }),
  defineTool({
    name: "ignores_signal",
    description: "holds its key until the test releases it",
    input,
    lock: ({ key }) => key,
    execute: async ({ key }) => {
      seen.push(`start ${key}`);
      started.open();
      await release.opened;
      seen.push(`end ${key}`);
      return "finished anyway";
    },
  }),
  defineTool({
    name: "quick",
    description: "runs at once under a key",
    input,
    lock: ({ key }) => key,
    execute: ({ key }) => {
      seen.push(`quick ${key}`);
      return "quick";
    },
  }),
];

function batchOf(name: string, id: string, key = "k"): ToolCallBatch {
  return {
    provider: "test",
    calls: [{ id, name, input: { key }, index: 0 }],
    complete: true,
    turn: null,
  };
}

function releaseOf(events: ExecutionEvent[]): Promise<CallReleaseEvent> {
  return new Promise((resolve) => {
    const poll = () => {
      const found = events.find(
        (event): event is CallReleaseEvent => event.type === "call-release",
      );
      if (found) resolve(found);
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe("timeouts, aborts and cancellation through the queue", () => {
  let connectionString: string;
  let harness: QueueHarness;
  let sql: pg.Client;

  beforeAll(async () => {
    ({ connectionString } = await createTestDatabase("queue_cancel"));
    harness = await startHarness(connectionString, tools, { workers: 1, queue: "cancel" });
    sql = new pg.Client({ connectionString });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await harness?.stop();
  });

  it("an abort reaches the tool on its worker; the call is aborted, the tool's end recorded", async () => {
    started = gate();
    seen.length = 0;
    const controller = new AbortController();
    const events: ExecutionEvent[] = [];
    const answering = harness.executor.executeBatch(batchOf("until_aborted", "abort_1"), tools, {
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    await started.opened;
    controller.abort();
    const [result] = await answering;
    expect(result).toMatchObject({ ok: false, error: { code: "aborted" } });
    // Only the cancel notification can stop this tool: it has no time limit.
    const released = await releaseOf(events);
    expect(seen).toEqual(["aborted"]);
    expect(released.outcome).toMatchObject({
      ok: false,
      error: {
        code: "execution_failed",
        message: 'Tool "until_aborted" failed: stopped on the signal',
      },
    });
    const { rows } = await sql.query(
      "SELECT state, result FROM toolbatch.call_runs WHERE call_id = 'abort_1'",
    );
    expect(rows).toEqual([{ state: "settled", result: released.outcome }]);
  });

  it("a timed-out tool that ignores its signal keeps its lock key on the worker until it ends", async () => {
    started = gate();
    release = gate();
    seen.length = 0;
    const events: ExecutionEvent[] = [];
    const [result] = await harness.executor.executeBatch(
      batchOf("ignores_signal", "late_1"),
      tools,
      {
        timeoutMs: 200,
        onEvent: (event) => events.push(event),
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "timeout" } });
    // Another batch's call on the same key: sent now, it must wait for the tool, not the answer.
    const next = harness.executor.executeBatch(batchOf("quick", "after_1"), tools);
    // Wait until the worker has taken it and waits on the key: its job is active and a session
    // waits on an advisory lock (pg-boss forces polling here: bounded, generous).
    for (let attempt = 0; attempt < 400; attempt += 1) {
      const { rows } = await sql.query(
        `SELECT (SELECT state FROM pgboss.job WHERE data->'call'->>'id' = 'after_1') AS state,
                (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted) AS waiting`,
      );
      if (rows[0].state === "active" && rows[0].waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(seen).toEqual(["start k"]);
    release.open();
    expect(await next).toMatchObject([{ ok: true, output: "quick" }]);
    expect(seen).toEqual(["start k", "end k", "quick k"]);
    const released = await releaseOf(events);
    expect(released.outcome).toMatchObject({ ok: true, output: "finished anyway" });
  });

  it("a call cancelled before any worker took it never runs, even once a worker comes", async () => {
    const queue = "cancel_unstaffed";
    const boss = await startBoss(connectionString);
    const { createQueueExecutor } = await import("../../src/queue/queue-executor.js");
    const executor = await createQueueExecutor(boss, { queue });
    try {
      seen.length = 0;
      const controller = new AbortController();
      const events: ExecutionEvent[] = [];
      const answering = executor.executeBatch(batchOf("quick", "never_1"), tools, {
        signal: controller.signal,
        onEvent: (event) => events.push(event),
      });
      // Its job is in the queue once its ledger can be asked about it: wait for the job row.
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const { rows } = await sql.query("SELECT 1 FROM pgboss.job WHERE name = $1", [queue]);
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      controller.abort();
      expect(await answering).toMatchObject([{ ok: false, error: { code: "aborted" } }]);
      const released = await releaseOf(events);
      expect(released.outcome).toMatchObject({
        ok: false,
        error: {
          code: "not_executed",
          message: 'Tool "quick" was not run: the call was cancelled before a worker started it.',
        },
      });
      const job = await sql.query("SELECT state FROM pgboss.job WHERE name = $1", [queue]);
      expect(job.rows).toEqual([{ state: "cancelled" }]);
      // A worker arriving now finds nothing to run.
      const workerBoss = await startBoss(connectionString);
      const worker = await createToolWorker(workerBoss, tools, { queue });
      // It polls the queue for this later call, past the cancelled one.
      expect(
        await executor.executeBatch(batchOf("quick", "later_1", "other"), tools),
      ).toMatchObject([{ ok: true }]);
      await worker.stop();
      await workerBoss.stop({ graceful: false, close: true });
      expect(seen).toEqual(["quick other"]);
      const run = await sql.query(
        "SELECT state FROM toolbatch.call_runs WHERE call_id = 'never_1'",
      );
      expect(run.rows).toEqual([{ state: "cancelled" }]);
    } finally {
      await executor.close();
      await boss.stop({ graceful: false, close: true });
    }
  });
});
