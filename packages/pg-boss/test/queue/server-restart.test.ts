import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { type QueueHarness, startHarness } from "./support/queue-fixture.js";
import { heldStep, remoteStep, runsPerStep, stepBatch } from "./support/serial-tools.js";

// Issue 17, "PostgreSQL restarted mid-batch", on a server of this file's own (the run's server is
// shared): four serial steps; the server is stopped and started while step 1's tool runs on a
// worker; the batch still completes, one result per call in call order, nothing run twice.
//
// What cannot be guaranteed, and the truthful answer instead: step 1's worker holds the call's
// locks in a transaction, and the ledger records its result in that transaction, at the commit
// that releases them. A fast shutdown ends every session, so that transaction is gone: the tool
// ends (it ran, its effect happened) but its result can no longer be recorded, and the locks it
// held were released by the server, so nothing could tell it apart from a worker that died. Its
// handler fails, pg-boss retries the job, and the retry finds the ledger row `started` with no
// result: the call is not idempotent, so it is answered `outcome_unknown` (run again it would
// act twice). That answer reaches the coordinator after its LISTEN connection came back (or by
// its sweep); the steps after it run once, on the restarted server.

let sql: pg.Pool;
const step = heldStep(() => sql);

describe("PostgreSQL restarted mid-batch", () => {
  let server: PostgresServer;
  let harness: QueueHarness;

  beforeAll(async () => {
    server = await startPostgresServer();
    sql = new pg.Pool({ ...server.settings, max: 4 });
    // Idle connections the restart ends are reported here; the next query opens a new one.
    sql.on("error", () => {});
    await sql.query("CREATE TABLE step_runs (call_id text NOT NULL)");
    harness = await startHarness(server.settings.connectionString, [step.tool], {
      workers: 2,
      queue: "restart",
    });
  });
  afterAll(async () => {
    step.release.open();
    await harness?.stop();
    await sql?.end();
    await server?.destroy();
  });

  it("completes with one result per call; the call whose transaction died is outcome_unknown, run once", async () => {
    const answering = harness.executor.executeBatch(stepBatch, [remoteStep]);
    await step.started.opened;
    await server.stop();
    await server.start();
    // The tool ends after the restart: its result cannot reach the ledger any more.
    step.release.open();
    const results = await answering;

    expect(results.map((result) => result.callId)).toStrictEqual([
      "step_0",
      "step_1",
      "step_2",
      "step_3",
    ]);
    expect(results[0]).toStrictEqual({
      callId: "step_0",
      name: "step",
      ok: true,
      output: "step 0 done",
    });
    expect(results[1]).toMatchObject({ ok: false, error: { code: "outcome_unknown" } });
    expect(results.slice(2).map((result) => result.ok && result.output)).toStrictEqual([
      "step 2 done",
      "step 3 done",
    ]);
    expect(await runsPerStep(sql)).toStrictEqual([1, 1, 1, 1]);
    const ledger = await sql.query(
      "SELECT call_id, state, attempts, result->'error'->>'code' AS code FROM toolbatch.call_runs ORDER BY call_id",
    );
    expect(ledger.rows).toStrictEqual([
      { call_id: "step_0", state: "settled", attempts: 1, code: null },
      { call_id: "step_1", state: "settled", attempts: 1, code: "outcome_unknown" },
      { call_id: "step_2", state: "settled", attempts: 1, code: null },
      { call_id: "step_3", state: "settled", attempts: 1, code: null },
    ]);
  });
});
