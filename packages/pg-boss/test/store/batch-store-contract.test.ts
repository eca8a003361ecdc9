import { describeBatchStoreContract } from "@toolbatch/contract";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll } from "vitest";
import { createPostgresBatchStore } from "../../src/index.js";
import { createTestDatabase } from "../support/test-database.js";

// The contract kit's store suite against the real server, once per connection shape the store
// takes: a pg Pool, and pg-boss's own handle (boss.getDb()). Each test gets a table of its own.
const { connectionString } = await createTestDatabase("store_contract");
const pool = new pg.Pool({ connectionString, max: 20 });
const boss = new PgBoss({ connectionString, supervise: false, schedule: false });
beforeAll(() => boss.start().then(() => undefined));
afterAll(async () => {
  await boss.stop({ graceful: false, close: true });
  await pool.end();
});

let tables = 0;
describeBatchStoreContract({
  name: "PostgreSQL through a pg Pool",
  create: () => createPostgresBatchStore(pool, { table: `pool_${++tables}` }),
});
describeBatchStoreContract({
  name: "PostgreSQL through pg-boss's boss.getDb()",
  create: () => createPostgresBatchStore(boss.getDb(), { table: `boss_${++tables}` }),
});
