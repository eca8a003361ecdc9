import type { Db } from "pg-boss";

/** A call's row in the workers' ledger (toolbatch.call_runs), with its city from the job's data. */
export interface LedgerRow {
  readonly callId: string;
  readonly city: string;
  readonly worker: string | null;
  readonly state: string;
  readonly attempts: number;
  /** The recorded result's error code, or null for a success (or no result yet). */
  readonly errorCode: string | null;
}

/** Every call the workers took, in the order they started. */
export async function readLedger(db: Db): Promise<LedgerRow[]> {
  const { rows } = await db.executeSql(
    `SELECT r.call_id AS "callId", j.data->'call'->'input'->>'city' AS city, r.worker, r.state,
            r.attempts, r.result->'error'->>'code' AS "errorCode"
       FROM toolbatch.call_runs r JOIN pgboss.job j ON j.id = r.job_id
      ORDER BY r.started_at NULLS LAST, r.call_id`,
  );
  return rows as LedgerRow[];
}

/**
 * Waits until a worker has started the lookup of `city` (its ledger row says `started`: the tool
 * is running on that worker now) and resolves with that worker's name; undefined after `withinMs`.
 */
export async function waitForRunning(
  db: Db,
  city: string,
  withinMs: number,
): Promise<string | undefined> {
  const until = performance.now() + withinMs;
  while (performance.now() < until) {
    const row = (await readLedger(db)).find((r) => r.city === city && r.state === "started");
    if (row?.worker) return row.worker;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/**
 * How the queue retried a city's job: retries, and when its last attempt started, in ms after
 * the job was created. A retry wakes no worker by NOTIFY (only a new job does), so a worker takes
 * it at its next poll.
 */
export async function readRetry(
  db: Db,
  city: string,
): Promise<{ retries: number; afterMs: number } | undefined> {
  const { rows } = await db.executeSql(
    `SELECT retry_count AS retries,
            EXTRACT(EPOCH FROM (started_on - created_on)) * 1000 AS "afterMs"
       FROM pgboss.job WHERE data->'call'->'input'->>'city' = $1 AND retry_count > 0`,
    [city],
  );
  const row = rows[0] as { retries: number; afterMs: string | number } | undefined;
  return row && { retries: row.retries, afterMs: Number(row.afterMs) };
}
