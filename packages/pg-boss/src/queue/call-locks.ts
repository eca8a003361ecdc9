import type { Db } from "pg-boss";
import type { QueueProtocol } from "./queue-protocol.js";

// A call's locks on a worker: a transaction on a connection of pg-boss's pool, held while the call
// runs, with transaction-level advisory locks: first the call's own (one worker at a time per
// call), then its lock keys in the order of their lock ids (so no two workers wait on each other
// in a cycle). COMMIT or ROLLBACK releases them all; so does the server when the worker dies and
// its connection closes.

/** A call's transaction, holding its locks until it ends. */
export interface HeldCall {
  /** Runs statements in the transaction (they commit with `commit`). */
  readonly db: Db;
  /** Takes the lock keys (already the call's), waiting for other workers that hold any of them. */
  lockKeys(keys: readonly string[], signal: AbortSignal): Promise<void>;
  /** Commits: what `db` wrote lands, and every lock is released. */
  commit(): Promise<void>;
  /** Rolls back and releases every lock; never rejects. */
  release(): Promise<void>;
}

/**
 * Opens a transaction and takes the call's own lock, waiting while another worker holds it (a
 * second delivery of a call whose first attempt still runs waits for it, then reads its result).
 * An abort of `signal` while it waits cancels the wait (the statement is cancelled on the server)
 * and rejects with the signal's reason.
 */
export async function holdCall(
  pool: Db,
  protocol: QueueProtocol,
  jobId: string,
  signal: AbortSignal,
): Promise<HeldCall> {
  if (!pool.beginTransaction) throw new Error("unreachable: checked when the worker started");
  const transaction = await pool.beginTransaction();
  const { db } = transaction;
  try {
    // The call may run longer than a server's idle-in-transaction limit, which would end the
    // transaction and release the locks while the tool still runs.
    // One round trip: the three settings (local to the transaction) and the backend's pid.
    const { rows } = await db.executeSql(
      `SELECT set_config('idle_in_transaction_session_timeout', '0', true),
              set_config('lock_timeout', '0', true),
              set_config('statement_timeout', '0', true),
              pg_backend_pid() AS pid`,
    );
    const pid = (rows[0] as { pid: number }).pid;
    const wait = (text: string, values: unknown[]) =>
      waitAbortably(pool, db, pid, text, values, signal);
    await wait("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `${protocol.callLockPrefix}${jobId}`,
    ]);
    return {
      db,
      async lockKeys(keys, keySignal) {
        if (keys.length === 0) return;
        const ordered = await db.executeSql(
          "SELECT DISTINCT hashtextextended($1 || key, 0)::text AS id FROM unnest($2::text[]) AS key ORDER BY 1",
          [protocol.keyLockPrefix, keys],
        );
        // Sorted as numbers, not as text: the order every worker takes them in.
        const ids = (ordered.rows as Array<{ id: string }>)
          .map((row) => BigInt(row.id))
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        for (const id of ids) {
          await waitAbortably(
            pool,
            db,
            pid,
            "SELECT pg_advisory_xact_lock($1::bigint)",
            [id.toString()],
            keySignal,
          );
        }
      },
      commit: () => transaction.commit(),
      release: () => transaction.rollback(),
    };
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}

/**
 * Runs a statement that may wait on a lock; an abort cancels it on the server
 * (`pg_cancel_backend`, from another pooled connection) and rejects with the abort's reason.
 */
async function waitAbortably(
  pool: Db,
  db: Db,
  pid: number,
  text: string,
  values: unknown[],
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  const cancel = () => {
    pool.executeSql("SELECT pg_cancel_backend($1)", [pid]).catch(() => {});
  };
  signal.addEventListener("abort", cancel, { once: true });
  try {
    await db.executeSql(text, values);
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
