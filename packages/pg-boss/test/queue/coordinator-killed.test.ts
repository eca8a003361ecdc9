import type { ExecutionEvent } from "@toolbatch/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresBatchStore } from "../../src/index.js";
import { callJobId } from "../../src/queue/queue-protocol.js";
import { createTestDatabase } from "../support/test-database.js";
import { type ChildWorkers, startChildWorkers } from "./support/child-workers.js";
import { type QueueHarness, startHarness } from "./support/queue-fixture.js";
import { heldStep, remoteStep, runsPerStep, stepBatch } from "./support/serial-tools.js";

// Issue 17, "the coordinating process killed and the batch resumed by another": a child process
// runs a batch of four serial steps through the queue with a PostgreSQL store; it is SIGKILLed
// while step 0 is done, step 1 runs on a worker (held by the test) and steps 2-3 are not sent.
// This process resumes the batch from the store: step 0 keeps its result, step 1's job (same id)
// is awaited and its real result taken, steps 2-3 run once.

let sql: pg.Pool;
const step = heldStep(() => sql);
const batchId = "coordinator-killed-1";

describe("the coordinating process killed mid-batch, the batch resumed by another", () => {
  let connectionString: string;
  let harness: QueueHarness;
  let coordinator: ChildWorkers | undefined;

  beforeAll(async () => {
    ({ connectionString } = await createTestDatabase("queue_coordinator_killed"));
    sql = new pg.Pool({ connectionString, max: 4 });
    await sql.query("CREATE TABLE step_runs (call_id text NOT NULL)");
    harness = await startHarness(connectionString, [step.tool], {
      workers: 2,
      queue: "coordinator_killed",
    });
  });
  afterAll(async () => {
    step.release.open();
    await coordinator?.kill();
    await harness?.stop();
    await sql?.end();
  });

  it("keeps finished calls, awaits the running one's job for its real result, runs the rest once", async () => {
    coordinator = await startChildWorkers("./coordinator.ts", 1, [
      connectionString,
      "coordinator_killed",
      batchId,
      JSON.stringify(stepBatch),
    ]);
    await step.started.opened;
    await coordinator.kill();
    expect(coordinator.children[0]?.signalCode).toBe("SIGKILL");

    // What the dead coordinator left: step 0 settled in the ledger, step 1 started, steps 2-3 untouched.
    const store = createPostgresBatchStore(sql);
    const left = await store.load(batchId);
    if (!left) throw new Error("the coordinator saved no checkpoint");
    expect(left.checkpoint.ledger.step_0).toMatchObject({
      state: "settled",
      result: { callId: "step_0", name: "step", ok: true, output: "step 0 done" },
    });
    expect(Object.keys(left.checkpoint.ledger ?? {}).sort()).toStrictEqual(["step_0", "step_1"]);
    expect(left.checkpoint.ledger.step_1).toMatchObject({ state: "started" });
    const jobs = await sql.query("SELECT id::text AS id FROM pgboss.job WHERE name = $1", [
      "coordinator_killed",
    ]);
    expect(jobs.rows.map((row) => row.id).sort()).toStrictEqual(
      [callJobId(batchId, "step_0"), callJobId(batchId, "step_1")].sort(),
    );

    const events: ExecutionEvent[] = [];
    const outcome = await harness.executor.resumeBatch(left.checkpoint, [remoteStep], {
      store,
      onEvent: (event) => {
        events.push(event);
        // The resumed batch awaits step 1's job: only now may its tool end.
        if (event.type === "call-start" && event.call.id === "step_1") step.release.open();
      },
    });

    expect(outcome.status).toBe("complete");
    expect(outcome.status === "complete" && outcome.results).toStrictEqual(
      [0, 1, 2, 3].map((n) => ({
        callId: `step_${n}`,
        name: "step",
        ok: true,
        output: `step ${n} done`,
      })),
    );
    // Step 0 was not run again, step 1 was awaited (not run again, not outcome_unknown).
    expect(events.filter((e) => e.type === "call-start").map((e) => e.call.id)).toStrictEqual([
      "step_1",
      "step_2",
      "step_3",
    ]);
    expect(await runsPerStep(sql)).toStrictEqual([1, 1, 1, 1]);
    // One job per call: step 1's resume named the dead coordinator's job.
    const after = await sql.query(
      "SELECT id::text AS id, state FROM pgboss.job WHERE name = $1 ORDER BY id",
      ["coordinator_killed"],
    );
    expect(after.rows).toHaveLength(4);
    expect(after.rows.every((row) => row.state === "completed")).toBe(true);
    const ledger = await sql.query(
      "SELECT call_id, state, attempts FROM toolbatch.call_runs ORDER BY call_id",
    );
    expect(ledger.rows).toStrictEqual(
      [0, 1, 2, 3].map((n) => ({ call_id: `step_${n}`, state: "settled", attempts: 1 })),
    );
    expect((await store.load(batchId))?.checkpoint.results.step_1).toMatchObject({ ok: true });
  });
});
