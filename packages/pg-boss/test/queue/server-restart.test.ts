import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { type QueueHarness, startHarness } from "./support/queue-fixture.js";
import { heldStep, remoteStep, runsPerStep, stepBatch } from "./support/serial-tools.js";

// Issue 17, "PostgreSQL restarted mid-batch", on a server of this file's own (the run's server is
// shared): four serial steps; the server is stopped and started while step 1's tool runs on a
// worker; the batch still completes, one result per call in call order, and only an idempotent
// tool runs twice.
//
// What cannot be guaranteed, and the truthful answer instead: step 1's worker holds the call's
// locks in a transaction, and the ledger records its result in that transaction, at the commit
// that releases them. A fast shutdown ends every session, so that transaction is gone: the tool
// ends (it ran, its effect happened) but its result can no longer be recorded, and the locks it
// held were released by the server, so nothing could tell it apart from a worker that died. Its
// handler fails, pg-boss retries the job, and the retry finds the ledger row `started` with no
// result: a tool that is not idempotent is answered `outcome_unknown` (run again it would act
// twice); an idempotent one runs again. That answer reaches the coordinator after its LISTEN
// connection came back (or by its sweep); the steps after it run once, on the restarted server.

let sql: pg.Pool;
const once = heldStep(() => sql);
const again = heldStep(() => sql, true);

describe("PostgreSQL restarted mid-batch", () => {
  let server: PostgresServer;
  const harnesses: QueueHarness[] = [];

  beforeAll(async () => {
    server = await startPostgresServer();
    sql = new pg.Pool({ ...server.settings, max: 4 });
    // Idle connections the restart ends are reported here; the next query opens a new one.
    sql.on("error", () => {});
    await sql.query("CREATE TABLE step_runs (call_id text NOT NULL)");
  });
  afterAll(async () => {
    once.release.open();
    again.release.open();
    for (const harness of harnesses) await harness.stop();
    await sql?.end();
    await server?.destroy();
  });

  /** Runs the four steps on 2 workers of `step`, restarting the server while step 1 runs. */
  async function restartMidBatch(step: typeof once, queue: string) {
    await sql.query("TRUNCATE step_runs");
    const harness = await startHarness(server.settings.connectionString, [step.tool], {
      workers: 2,
      queue,
    });
    harnesses.push(harness);
    const answering = harness.executor.executeBatch(stepBatch, [remoteStep]);
    await step.started.opened;
    await server.stop();
    await server.start();
    // The tool ends after the restart: its result cannot reach the ledger any more.
    step.release.open();
    const results = await answering;
    expect(results.map((result) => result.callId)).toStrictEqual(
      stepBatch.calls.map((call) => call.id),
    );
    const ledger = await sql.query(
      `SELECT r.call_id, r.state, r.attempts, r.result->'error'->>'code' AS code
       FROM toolbatch.call_runs r JOIN pgboss.job j ON j.id = r.job_id AND j.name = $1
       ORDER BY r.call_id`,
      [queue],
    );
    return { results, ledger: ledger.rows };
  }

  it("a step that is not idempotent and whose transaction died is answered outcome_unknown, run once", async () => {
    const { results, ledger } = await restartMidBatch(once, "restart_once");
    expect(results.map((result) => (result.ok ? result.output : result.error.code))).toStrictEqual([
      "step 0 done",
      "outcome_unknown",
      "step 2 done",
      "step 3 done",
    ]);
    expect(await runsPerStep(sql)).toStrictEqual([1, 1, 1, 1]);
    expect(ledger).toStrictEqual([
      { call_id: "step_0", state: "settled", attempts: 1, code: null },
      { call_id: "step_1", state: "settled", attempts: 1, code: "outcome_unknown" },
      { call_id: "step_2", state: "settled", attempts: 1, code: null },
      { call_id: "step_3", state: "settled", attempts: 1, code: null },
    ]);
  });

  it("an idempotent step whose transaction died runs again and is answered with its output", async () => {
    const { results, ledger } = await restartMidBatch(again, "restart_again");
    expect(results.map((result) => (result.ok ? result.output : result.error.code))).toStrictEqual([
      "step 0 done",
      "step 1 done",
      "step 2 done",
      "step 3 done",
    ]);
    // Step 1 ran twice: once across the restart (its result lost), once on the retry.
    expect(await runsPerStep(sql)).toStrictEqual([1, 2, 1, 1]);
    expect(ledger.map((row) => row.attempts)).toStrictEqual([1, 2, 1, 1]);
  });
});
