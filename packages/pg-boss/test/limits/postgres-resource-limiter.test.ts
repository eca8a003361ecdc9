import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { InvalidOptionError, type ResourceWait, type ToolResult } from "@toolbatch/core";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresResourceLimiter, PostgresResourceLimiterError } from "../../src/index.js";
import { startChildWorkers } from "../queue/support/child-workers.js";
import { startBoss } from "../queue/support/queue-fixture.js";
import { createTestDatabase } from "../support/test-database.js";

// Issue 19: shared resource limits that hold across coordinators, with real processes and the
// real server. Each coordinator is its own process running core's executeBatch with the
// PostgreSQL limiter on pg-boss's getDb(); the tool counts calls in flight in the database.

const script = fileURLToPath(new URL("./support/limited-coordinator.ts", import.meta.url));
let connectionString: string;
let sql: pg.Pool;
let boss: PgBoss;

/** Runs a coordinator process to its end; resolves with the results it printed. */
function runCoordinator(name: string, calls: number): Promise<ToolResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, connectionString, "run", name, String(calls)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => {
      const line = out.split("\n").find((each) => each.startsWith("results "));
      if (code !== 0 || !line) reject(new Error(`coordinator ${name} exited ${code}:\n${err}`));
      else resolve(JSON.parse(line.slice("results ".length)) as ToolResult[]);
    });
  });
}

beforeAll(async () => {
  ({ connectionString } = await createTestDatabase("resource_limiter"));
  sql = new pg.Pool({ connectionString, max: 4 });
  await sql.query(`CREATE TABLE api_in_flight (n int NOT NULL);
    INSERT INTO api_in_flight VALUES (0);
    CREATE TABLE api_calls (coordinator text, call_id text, in_flight int, started_at timestamptz)`);
  boss = await startBoss(connectionString);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await sql?.end();
});

describe("createPostgresResourceLimiter: failures first", () => {
  it("refuses invalid limits and options with typed errors, before touching the database", async () => {
    const refused = async (run: () => Promise<unknown>) =>
      run().then(
        () => undefined,
        (e) => e,
      );
    const db = { executeSql: () => Promise.reject(new Error("never reached")) };
    for (const limits of [
      { api: { concurrency: 0 } },
      { api: { rate: { limit: 1, intervalMs: 0 } } },
    ]) {
      expect(
        InvalidOptionError.isInstance(
          await refused(() => createPostgresResourceLimiter(db, limits)),
        ),
      ).toBe(true);
    }
    const lease = await refused(() => createPostgresResourceLimiter(db, {}, { leaseMs: -1 }));
    expect((lease as InvalidOptionError).option).toBe("leaseMs");
    const down = await refused(() => createPostgresResourceLimiter(db, {}));
    expect(PostgresResourceLimiterError.isInstance(down)).toBe(true);
    expect((down as PostgresResourceLimiterError).operation).toBe("create-tables");
  });

  it("gives up a wait on abort: rejects with the reason, leaves its place in line, holds nothing", async () => {
    const limiter = await createPostgresResourceLimiter(boss.getDb(), { solo: { concurrency: 1 } });
    const first = await limiter.acquire({ locks: [], resources: ["solo"] });
    const controller = new AbortController();
    const waits: ResourceWait[] = [];
    const second = limiter.acquire(
      { locks: [], resources: ["solo"] },
      {
        signal: controller.signal,
        onWait: (wait) => {
          waits.push(wait);
          controller.abort(new Error("gave up"));
        },
      },
    );
    await expect(second).rejects.toThrow("gave up");
    expect(waits).toStrictEqual([{ resource: "solo", reason: "concurrency" }]);
    await first();
    // The abort's DELETE runs after the rejection: wait for it on the real table, bounded.
    await until(async () => (await count("resource_waiters")) === 0);
    expect(await count("resource_holds")).toBe(0);
    // A lock key is a resource of concurrency 1 too, reported as `lock`.
    const lock = await limiter.acquire({ locks: ["doc"], resources: [] });
    const next = limiter.acquire(
      { locks: ["doc"], resources: [] },
      { onWait: (wait) => waits.push(wait) },
    );
    await until(async () => waits.length === 2);
    expect(waits[1]).toStrictEqual({ resource: "doc", reason: "lock" });
    await lock();
    await (await next)();
    await limiter.close();
  });
});

describe("createPostgresResourceLimiter across coordinator processes", () => {
  it("3 processes x 6 calls on concurrency 2, rate 5/s: never 3 in flight, never 6 starts in 1 s, each call one result", async () => {
    const names = ["c0", "c1", "c2"];
    const results = await Promise.all(names.map((name) => runCoordinator(name, 6)));
    for (const [index, each] of results.entries()) {
      expect(each.map((result) => [result.callId, result.ok])).toStrictEqual(
        Array.from({ length: 6 }, (_, call) => [`${names[index]}_${call}`, true]),
      );
    }
    const { rows } = await sql.query(
      "SELECT count(*)::int AS calls, count(DISTINCT call_id)::int AS distinct_calls, max(in_flight) AS peak FROM api_calls",
    );
    expect(rows[0]).toStrictEqual({ calls: 18, distinct_calls: 18, peak: expect.any(Number) });
    expect(rows[0].peak).toBeLessThanOrEqual(2);
    // The grants' start times, by the server's clock: no 1 s window holds more than 5.
    const windows = await sql.query(
      `SELECT count(*)::int AS starts,
         max((SELECT count(*) FROM toolbatch.resource_starts b
           WHERE b.key = 'r:api' AND b.started_at >= a.started_at
             AND b.started_at < a.started_at + interval '1 second'))::int AS busiest,
         extract(epoch FROM max(started_at) - min(started_at)) AS span_s
       FROM toolbatch.resource_starts a WHERE a.key = 'r:api'`,
    );
    const { starts, busiest, span_s } = windows.rows[0];
    expect(starts).toBe(18);
    expect(busiest).toBeLessThanOrEqual(5);
    // 18 starts at 5 per second: starts 1, 6, 11 and 16 are each at least 1 s apart.
    expect(Number(span_s)).toBeGreaterThanOrEqual(3);
    // Every tool start came after its grant: as many tool starts as grants.
    expect(await count("resource_holds")).toBe(0);
    expect(await count("resource_waiters")).toBe(0);
  });

  it("a coordinator killed with SIGKILL while holding a slot: the slot comes back within its lease", async () => {
    const holder = await startChildWorkers(script, 1, [connectionString, "hold", "h", "0"]);
    const limiter = await createPostgresResourceLimiter(
      boss.getDb(),
      { api: { concurrency: 1 } },
      { recheckMs: 200 },
    );
    try {
      const { rows } = await sql.query(
        "SELECT holder::text, expires_at FROM toolbatch.resource_holds WHERE key = 'r:api'",
      );
      expect(rows).toHaveLength(1);
      await holder.kill();
      const waits: ResourceWait[] = [];
      // Bounded by the lease (1.5 s) plus a recheck, with room: a wait past it fails the test.
      const release = await limiter.acquire(
        { locks: [], resources: ["api"] },
        { signal: AbortSignal.timeout(10_000), onWait: (wait) => waits.push(wait) },
      );
      expect(waits).toStrictEqual([{ resource: "api", reason: "concurrency" }]);
      // Granted only once the dead holder's lease ran out, and its row is gone.
      const after = await sql.query(
        "SELECT holder::text, expires_at FROM toolbatch.resource_holds WHERE key = 'r:api'",
      );
      expect(after.rows).toHaveLength(1);
      expect(after.rows[0].holder).not.toBe(rows[0].holder);
      // Its grant (its expiry less the default 30 s lease) came once the dead one's lease ended.
      const granted = after.rows[0].expires_at.getTime() - 30_000;
      expect(granted).toBeGreaterThanOrEqual(rows[0].expires_at.getTime());
      await release();
    } finally {
      await holder.kill();
      await limiter.close();
    }
  });
});

async function count(table: string): Promise<number> {
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM toolbatch.${table}`);
  return rows[0].n;
}

/** Waits for a condition on the real server, checking every 20 ms, for at most 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("condition not met within 10 s");
}
