import type { ToolResult } from "@toolbatch/core";
import type { Db } from "pg-boss";
import type { QueueProtocol } from "./queue-protocol.js";

// The worker-side call ledger, `<schema>.call_runs`: one row per call's job, the authority on
// whether a call ran. Its states:
//   started    a worker holds the call's lock and runs (or ran) its tool; no result recorded yet
//   settled    the call's outcome is recorded in `result`; it never runs again
//   cancelled  the coordinator cancelled the call before any worker started it; it never runs
// Who writes: a worker moves a row to started and settled only while it holds the call's
// advisory lock; a coordinator inserts `cancelled` only where no row exists (the primary key
// decides between the two), and otherwise only sets `cancel_requested`.

/** The states of a call's row. */
export type CallRunState = "started" | "settled" | "cancelled";

/** A call's row as the coordinator and the workers read it. */
export interface CallRun {
  readonly state: CallRunState;
  /** The recorded outcome, for a settled row. */
  readonly result: ToolResult | null;
  /** True once the coordinator asked for the call to stop. */
  readonly cancelRequested: boolean;
}

/** Creates the schema and the table if they are missing; safe to run from every process at once. */
export async function ensureCallRuns(db: Db, protocol: QueueProtocol): Promise<void> {
  // One statement each: CREATE ... IF NOT EXISTS can still race on the catalog's unique index, so
  // a transaction-level advisory lock serializes concurrent starts.
  await db.executeSql(
    `DO $$ BEGIN
       PERFORM pg_advisory_xact_lock(hashtextextended('${protocol.schema}:ensure-schema', 0));
       CREATE SCHEMA IF NOT EXISTS "${protocol.schema}";
       CREATE TABLE IF NOT EXISTS ${protocol.runsTable} (
         job_id uuid PRIMARY KEY,
         batch_id text NOT NULL,
         call_id text NOT NULL,
         tool_name text NOT NULL,
         state text NOT NULL CHECK (state IN ('started', 'settled', 'cancelled')),
         cancel_requested boolean NOT NULL DEFAULT false,
         attempts integer NOT NULL DEFAULT 0,
         worker text,
         started_at timestamptz,
         settled_at timestamptz,
         result jsonb
       );
     END $$`,
  );
}

/** Reads a call's row, or `undefined` when there is none. */
export async function readCallRun(
  db: Db,
  protocol: QueueProtocol,
  jobId: string,
): Promise<CallRun | undefined> {
  const { rows } = await db.executeSql(
    `SELECT state, result, cancel_requested FROM ${protocol.runsTable} WHERE job_id = $1`,
    [jobId],
  );
  const row = rows[0] as
    | { state: CallRunState; result: ToolResult | null; cancel_requested: boolean }
    | undefined;
  return row && { state: row.state, result: row.result, cancelRequested: row.cancel_requested };
}

/** The identity of a call's row. */
export interface CallRunKey {
  readonly jobId: string;
  readonly batchId: string;
  readonly callId: string;
  readonly toolName: string;
}

/**
 * Records that a call starts (the caller holds its lock): inserts a `started` row, or takes over
 * an existing `started` one (an earlier attempt died; an idempotent tool runs again). Resolves
 * `true` when the call may run, `false` when a row in another state was there.
 */
export async function startCallRun(
  db: Db,
  protocol: QueueProtocol,
  key: CallRunKey,
  worker: string,
  takeOver: boolean,
): Promise<boolean> {
  const { rows } = takeOver
    ? await db.executeSql(
        `UPDATE ${protocol.runsTable} SET attempts = attempts + 1, worker = $2, started_at = now()
         WHERE job_id = $1 AND state = 'started' RETURNING job_id`,
        [key.jobId, worker],
      )
    : await db.executeSql(
        `INSERT INTO ${protocol.runsTable}
           (job_id, batch_id, call_id, tool_name, state, attempts, worker, started_at)
         VALUES ($1, $2, $3, $4, 'started', 1, $5, now())
         ON CONFLICT (job_id) DO NOTHING RETURNING job_id`,
        [key.jobId, key.batchId, key.callId, key.toolName, worker],
      );
  return rows.length === 1;
}

/**
 * Records a call's outcome (as data: see `asData`) and tells the coordinators (NOTIFY, delivered at commit), in the
 * caller's transaction: the row is settled and the call's locks are released by the same commit.
 * Also used to settle a call that never ran (its row is then inserted settled).
 */
export async function settleCallRun(
  db: Db,
  protocol: QueueProtocol,
  key: CallRunKey,
  result: ToolResult,
): Promise<ToolResult> {
  const recorded = asData(result);
  // One round trip: the row and the NOTIFY (delivered at commit).
  await db.executeSql(
    `WITH settled AS (
       INSERT INTO ${protocol.runsTable}
         (job_id, batch_id, call_id, tool_name, state, settled_at, result)
       VALUES ($1, $2, $3, $4, 'settled', now(), $5::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET state = 'settled', settled_at = now(), result = EXCLUDED.result
       RETURNING job_id
     )
     SELECT pg_notify($6, job_id::text) FROM settled`,
    [
      key.jobId,
      key.batchId,
      key.callId,
      key.toolName,
      JSON.stringify(recorded),
      protocol.settledChannel,
    ],
  );
  return recorded;
}

/**
 * A result as the ledger keeps it: JSON data, as a checkpoint keeps one. An error loses its
 * `cause` (the thrown value, no data); an output is as `JSON.stringify` writes it (the executor
 * checked it can be).
 */
function asData(result: ToolResult): ToolResult {
  const { callId, name } = result;
  if (!result.ok) {
    return {
      callId,
      name,
      ok: false,
      error: { code: result.error.code, message: result.error.message },
    };
  }
  const text = JSON.stringify(result.output);
  return { callId, name, ok: true, output: text === undefined ? null : JSON.parse(text) };
}

/**
 * The coordinator's cancellation: a call no worker started yet is marked `cancelled` (and never
 * runs); one that started is marked `cancel_requested` and its worker is told (NOTIFY). Resolves
 * `true` when the call was cancelled before it started.
 */
export async function cancelCallRun(
  db: Db,
  protocol: QueueProtocol,
  key: CallRunKey,
): Promise<boolean> {
  const { rows } = await db.executeSql(
    `WITH cancelled AS (
       INSERT INTO ${protocol.runsTable} (job_id, batch_id, call_id, tool_name, state, cancel_requested, settled_at)
       VALUES ($1, $2, $3, $4, 'cancelled', true, now())
       ON CONFLICT (job_id) DO UPDATE SET cancel_requested = true
       RETURNING (xmax = 0) AS inserted
     ), told AS (SELECT pg_notify($5, $1::text))
     SELECT inserted FROM cancelled, told`,
    [key.jobId, key.batchId, key.callId, key.toolName, protocol.cancelChannel],
  );
  return (rows[0] as { inserted: boolean } | undefined)?.inserted === true;
}
