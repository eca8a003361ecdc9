import { randomUUID } from "node:crypto";
import {
  type AcquireOptions,
  createResourceLimiter,
  InvalidOptionError,
  type ResourceClaim,
  type ResourceLimit,
  type ResourceLimiter,
  type ResourceRelease,
  type ResourceWait,
  type ResourceWaitReason,
} from "@toolbatch/core";
import type { Db } from "pg-boss";
import { PostgresResourceLimiterError } from "../errors/postgres-resource-limiter-error.js";
import type { PostgresConnection } from "../postgres-connection.js";
import { runSql } from "../run-sql.js";
import { keysPayload, type ResourceTables, resourceTables } from "./resource-tables.js";

/** Options of {@link createPostgresResourceLimiter}. Each accepts `undefined` as absent. */
export interface PostgresResourceLimiterOptions {
  /** The schema of the limiter's tables; default `toolbatch`. Created when missing. */
  schema?: string | undefined;
  /**
   * How long a grant (or a place in line) outlives its coordinator, in milliseconds: a live
   * coordinator renews it every third of it; one that crashed or lost the database gives it back
   * when it runs out. Default 30,000.
   */
  leaseMs?: number | undefined;
  /**
   * The longest a waiting call goes without looking again, in milliseconds, for a NOTIFY it
   * missed and a lease that ran out (which sends none). Default 1,000.
   */
  recheckMs?: number | undefined;
}

/** A `ResourceLimiter` (from `@toolbatch/core`) whose budget lives in PostgreSQL; `close` when the process stops. */
export interface PostgresResourceLimiter extends ResourceLimiter {
  /**
   * Stops listening and renewing leases. Calls still waiting are rejected; what is held is given
   * back when its lease runs out, or by its release.
   */
  close(): Promise<void>;
}

/** One claim, as the function takes it. */
interface Claim {
  readonly keys: string[];
  readonly concurrency: (number | null)[];
  readonly rate: (number | null)[];
  readonly intervalMs: (number | null)[];
}

interface Waiting {
  readonly holder: string;
  readonly claim: Claim;
  readonly options: AcquireOptions | undefined;
  readonly resolve: (release: ResourceRelease) => void;
  readonly reject: (reason: unknown) => void;
  /** Listens to the call's signal: an abort gives up the wait. */
  readonly onAbort: () => void;
  timer?: ReturnType<typeof setTimeout> | undefined;
  /** An attempt is on its way to the server; `again`: look once more when it is back. */
  busy: boolean;
  again: boolean;
  told?: string | undefined;
}

interface AttemptRow {
  readonly granted: boolean;
  readonly blocked: string | null;
  readonly reason: ResourceWaitReason | null;
  readonly retry_ms: number | null;
}

/**
 * Creates a limiter of shared resources whose budget every coordinator process shares through
 * PostgreSQL, for the executors' `limiter` option (core's `executeBatch`, or the queue executor's
 * batches): per resource at most `concurrency` calls in flight and at most `rate.limit` starts in
 * any `rate.intervalMs`, counted across every process on the database, and each lock key one
 * call at a time. Same limits, same contract as core's `createResourceLimiter`: all or nothing,
 * first come first served per resource, a start counted when granted.
 *
 * It runs statements on the application's connection (`boss.getDb()`, or a pg Pool) and LISTENs
 * with pg-boss's `getDb().listen` when there is one (a waiting call is woken by the release it
 * waits for); toolbatch opens no connection. A grant is rows with a lease, so a coordinator that
 * dies gives its slots back within `leaseMs`.
 *
 * @throws {InvalidOptionError} (as a rejection) for an invalid limit or option.
 * @throws {PostgresResourceLimiterError} (as a rejection) when the tables cannot be created.
 */
export async function createPostgresResourceLimiter(
  db: PostgresConnection & { readonly listen?: Db["listen"] | undefined },
  limits: Readonly<Record<string, ResourceLimit>>,
  options: PostgresResourceLimiterOptions = {},
): Promise<PostgresResourceLimiter> {
  // Core's limiter checks the limits (and throws its InvalidOptionError) exactly as it would.
  createResourceLimiter(limits);
  const leaseMs = positive("leaseMs", options.leaseMs ?? 30_000);
  const recheckMs = positive("recheckMs", options.recheckMs ?? 1_000);
  const tables = resourceTables(options.schema);
  try {
    await runSql(db, tables.create, []);
  } catch (error) {
    throw new PostgresResourceLimiterError("create-tables", error);
  }
  const waiting = new Set<Waiting>();
  // Every grant and place in line this process holds: their leases are renewed together.
  const leased = new Set<string>();

  const attempt = async (holder: string, claim: Claim, wait: boolean): Promise<AttemptRow> => {
    const rows = await runSql(db, `SELECT * FROM ${tables.acquire}($1, $2, $3, $4, $5, $6, $7)`, [
      holder,
      claim.keys,
      claim.concurrency,
      claim.rate,
      claim.intervalMs,
      leaseMs,
      wait,
    ]);
    return rows[0] as AttemptRow;
  };

  const releaseOf = (holder: string, keys: readonly string[]): ResourceRelease => {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      leased.delete(holder);
      await giveBack(db, tables, holder, keys);
    };
  };

  const look = (entry: Waiting) => {
    if (entry.busy) {
      entry.again = true;
      return;
    }
    clearTimeout(entry.timer);
    entry.busy = true;
    attempt(entry.holder, entry.claim, true).then(
      (row) => {
        entry.busy = false;
        if (!waiting.has(entry)) {
          // Given up meanwhile: what this attempt may have taken goes back.
          if (row.granted) giveBack(db, tables, entry.holder, entry.claim.keys).catch(() => {});
          return;
        }
        if (row.granted) {
          waiting.delete(entry);
          entry.options?.signal?.removeEventListener("abort", entry.onAbort);
          entry.resolve(releaseOf(entry.holder, entry.claim.keys));
          return;
        }
        tell(entry, row);
        if (entry.again) {
          entry.again = false;
          look(entry);
          return;
        }
        const delay = Math.min(recheckMs, row.retry_ms ?? Number.POSITIVE_INFINITY);
        entry.timer = setTimeout(() => look(entry), Math.max(1, Math.ceil(delay)));
      },
      (error: unknown) => {
        entry.busy = false;
        quit(entry, new PostgresResourceLimiterError("acquire", error));
      },
    );
  };

  /** Ends a wait that will not be granted, leaving its place in line. */
  const quit = (entry: Waiting, reason: unknown) => {
    if (!waiting.delete(entry)) return;
    clearTimeout(entry.timer);
    entry.options?.signal?.removeEventListener("abort", entry.onAbort);
    leased.delete(entry.holder);
    entry.reject(reason);
    giveBack(db, tables, entry.holder, entry.claim.keys).catch(() => {});
  };

  const wake = (payload: string) => {
    let keys: unknown;
    try {
      keys = payload === "" ? undefined : JSON.parse(payload);
    } catch {
      keys = undefined;
    }
    for (const entry of waiting) {
      if (!Array.isArray(keys) || entry.claim.keys.some((key) => keys.includes(key))) look(entry);
    }
  };
  const listener = db.listen ? await db.listen(tables.channel, wake, () => wake("")) : undefined;

  const renew = setInterval(() => {
    if (leased.size === 0) return;
    renewLeases(db, tables, [...leased], leaseMs).catch(() => {});
  }, leaseMs / 3);
  renew.unref();

  return {
    acquire(claim: ResourceClaim, acquireOptions?: AcquireOptions) {
      const signal = acquireOptions?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const read = readClaim(claim, limits);
      if (read.keys.length === 0) return () => {};
      const holder = randomUUID();
      leased.add(holder);
      return new Promise<ResourceRelease>((resolve, reject) => {
        const entry: Waiting = {
          holder,
          claim: read,
          options: acquireOptions,
          resolve,
          reject,
          onAbort: () => quit(entry, signal?.reason),
          busy: false,
          again: false,
        };
        waiting.add(entry);
        signal?.addEventListener("abort", entry.onAbort, { once: true });
        look(entry);
      });
    },
    async close() {
      clearInterval(renew);
      for (const entry of waiting) {
        quit(entry, new PostgresResourceLimiterError("closed", undefined));
      }
      await listener?.close();
    },
  };
}

/** Tells a waiting call what it waits for, unless that did not change. */
function tell(entry: Waiting, row: AttemptRow) {
  if (row.blocked === null || row.reason === null) return;
  const told = `${row.reason} ${row.blocked}`;
  if (entry.told === told) return;
  entry.told = told;
  const wait: ResourceWait = { resource: row.blocked.slice(2), reason: row.reason };
  try {
    entry.options?.onWait?.(wait);
  } catch {
    // A listener's failure must not stop the wait.
  }
}

/** The claim's keys, sorted, with their limits: lock keys as concurrency 1, undeclared resources left out. */
function readClaim(claim: ResourceClaim, limits: Readonly<Record<string, ResourceLimit>>): Claim {
  const entries: [string, ResourceLimit][] = claim.locks.map((key) => [
    `l:${key}`,
    { concurrency: 1 },
  ]);
  for (const name of claim.resources) {
    const limit = Object.hasOwn(limits, name) ? limits[name] : undefined;
    if (limit && (limit.concurrency !== undefined || limit.rate !== undefined)) {
      entries.push([`r:${name}`, limit]);
    }
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    keys: entries.map(([key]) => key),
    concurrency: entries.map(([, limit]) =>
      limit.concurrency === undefined || limit.concurrency === Infinity ? null : limit.concurrency,
    ),
    rate: entries.map(([, limit]) => limit.rate?.limit ?? null),
    intervalMs: entries.map(([, limit]) => limit.rate?.intervalMs ?? null),
  };
}

/** Deletes a grant's rows and its place in line, and wakes whoever waits on its keys. */
async function giveBack(
  db: PostgresConnection,
  tables: ResourceTables,
  holder: string,
  keys: readonly string[],
): Promise<void> {
  await runSql(
    db,
    `WITH h AS (DELETE FROM ${tables.holds} WHERE holder = $1),
          w AS (DELETE FROM ${tables.waiters} WHERE holder = $1)
     SELECT pg_notify('${tables.channel}', ${keysPayload("$2::text[]")})`,
    [holder, keys],
  );
}

/** Moves the leases of everything this process holds or waits for `leaseMs` ahead. */
async function renewLeases(
  db: PostgresConnection,
  tables: ResourceTables,
  holders: string[],
  leaseMs: number,
): Promise<void> {
  await runSql(
    db,
    `WITH h AS (UPDATE ${tables.holds} SET expires_at = clock_timestamp() + $2 * interval '1 millisecond'
                WHERE holder = ANY($1::uuid[]))
     UPDATE ${tables.waiters} SET expires_at = clock_timestamp() + $2 * interval '1 millisecond'
     WHERE holder = ANY($1::uuid[])`,
    [holders, leaseMs],
  );
}

function positive(option: string, value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new InvalidOptionError(option, value, "a positive number of milliseconds");
}
