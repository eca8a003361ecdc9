import { sampleBatchCheckpoint } from "@toolbatch/contract";
import { InvalidOptionError } from "@toolbatch/core";
import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  createPostgresBatchStore,
  createPostgresBatchTable,
  PostgresBatchStoreError,
  type PostgresConnection,
} from "../../src/index.js";
import { createTestDatabase } from "../support/test-database.js";

const { connectionString } = await createTestDatabase("batch_store");
const pool = new pg.Pool({ connectionString, max: 12 });
afterAll(() => pool.end());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("createPostgresBatchStore", () => {
  it("refuses a db without executeSql or query, and table names that are not plain identifiers", () => {
    for (const db of [undefined, null, {}, { query: "SELECT 1" }, "postgres://x"]) {
      expect(() => createPostgresBatchStore(db as unknown as PostgresConnection)).toThrow(
        InvalidOptionError,
      );
    }
    for (const table of ["", "a b", 'x"; DROP TABLE y; --', "1abc", "é", "x".repeat(64), 7]) {
      const error = (() => {
        try {
          createPostgresBatchStore(pool, { table: table as string });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ option: "table" });
    }
    expect(() => createPostgresBatchStore(pool, { schema: "a-b" })).toThrow(/Option "schema"/);
  });

  it("creates its schema and table on first use, and none before", async () => {
    const store = createPostgresBatchStore(pool, { schema: "lazy_schema", table: "lazy" });
    const exists = async () =>
      (await pool.query("SELECT to_regclass('lazy_schema.lazy') IS NOT NULL AS x")).rows[0].x;
    expect(await exists()).toBe(false);
    expect(await store.load("a")).toBeUndefined();
    expect(await exists()).toBe(true);
  });

  it("with createTable: false, a missing table is a PostgresBatchStoreError naming it", async () => {
    const store = createPostgresBatchStore(pool, { table: "never_made", createTable: false });
    const error = await rejection(store.load("b-1"));
    expect(PostgresBatchStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: "load", batchId: "b-1" });
    expect(String((error as Error).message)).toContain('"toolbatch"."never_made"');
    expect(String((error as Error).message)).toContain("[42P01]");
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("createPostgresBatchTable is idempotent and safe from many connections at once", async () => {
    const options = { schema: "migrated", table: "checkpoints" };
    await Promise.all(Array.from({ length: 8 }, () => createPostgresBatchTable(pool, options)));
    await createPostgresBatchTable(pool, options);
    const store = createPostgresBatchStore(pool, { ...options, createTable: false });
    expect(await store.save("m", sampleBatchCheckpoint("m"), 0)).toBe(1);
  });

  it("stores a row a person can read: the id as JSON text, the checkpoint as json", async () => {
    const store = createPostgresBatchStore(pool, { table: "readable" });
    await store.save("batch-7", sampleBatchCheckpoint("batch-7"), 0);
    const { rows } = await pool.query(
      `SELECT batch_id, version, checkpoint->>'batchId' AS inner_id, length(batch_key) AS key_bytes
       FROM toolbatch.readable`,
    );
    expect(rows).toStrictEqual([
      { batch_id: '"batch-7"', version: 1, inner_id: "batch-7", key_bytes: 32 },
    ]);
  });

  it("any string id round-trips and never meets another, NUL and lone surrogates included", async () => {
    const store = createPostgresBatchStore(pool, { table: "any_ids" });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 40 }),
            fc.constantFrom("\ud800", "x\udc00", "\udc00\ud800", "\u0000", "a\u0000b"),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (ids) => {
          round += 1;
          const scoped = ids.map((id) => `${round}:${id}`);
          for (const id of scoped)
            expect(await store.save(id, sampleBatchCheckpoint(id), 0)).toBe(1);
          for (const id of scoped) {
            expect(await store.load(id)).toStrictEqual({
              checkpoint: sampleBatchCheckpoint(id),
              version: 1,
            });
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
