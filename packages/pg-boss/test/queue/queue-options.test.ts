import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidQueueOptionError } from "../../src/queue/invalid-queue-option-error.js";
import { createQueueExecutor } from "../../src/queue/queue-executor.js";
import { createToolWorker } from "../../src/queue/tool-worker.js";
import { UnsupportedDatabaseError } from "../../src/queue/unsupported-database-error.js";
import { createTestDatabase } from "../support/test-database.js";
import { startBoss } from "./support/queue-fixture.js";

describe("the queue's options and the database it needs", () => {
  let boss: PgBoss;
  let connectionString: string;

  beforeAll(async () => {
    ({ connectionString } = await createTestDatabase("queue_options"));
    boss = await startBoss(connectionString);
  });
  afterAll(() => boss?.stop({ graceful: false, close: true }));

  it.each([
    ["schema", { schema: "Bad-Name" }],
    ["queue", { queue: "no spaces" }],
    ["sweepIntervalMs", { sweepIntervalMs: 0 }],
    ["graceSeconds", { graceSeconds: -1 }],
    ["retryLimit", { retryLimit: 1.5 }],
    ["bossSchema", { bossSchema: 'x"; DROP' }],
  ])("refuses an invalid %s before touching the database", async (option, options) => {
    const error = await createQueueExecutor(boss, options).catch((thrown: unknown) => thrown);
    expect(InvalidQueueOptionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toMatch(/^\[toolbatch\/pg-boss\] Option "/);
  });

  it("refuses a worker concurrency that is not a positive integer", async () => {
    const error = await createToolWorker(boss, [], { concurrency: 0 }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ name: "InvalidQueueOptionError", option: "concurrency" });
  });

  it("refuses a pg-boss database adapter that cannot LISTEN, naming what is missing", async () => {
    // A real adapter of pg-boss's (a pg Pool behind executeSql only), as an application may pass.
    const pool = new pg.Pool({ connectionString, max: 2 });
    const adapted = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schedule: false,
      supervise: false,
      schema: "pgboss_adapted",
    });
    adapted.on("error", () => {});
    await adapted.start();
    try {
      const error = await createQueueExecutor(adapted).catch((thrown: unknown) => thrown);
      expect(UnsupportedDatabaseError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ capability: "listen" });
      const refused = await createToolWorker(adapted, []).catch((thrown: unknown) => thrown);
      expect(refused).toMatchObject({ name: "UnsupportedDatabaseError" });
    } finally {
      await adapted.stop({ graceful: false, close: true });
      await pool.end();
    }
  });
});
