import { sampleBatchCheckpoint } from "@toolbatch/contract";
import { CheckpointVersionError, InvalidCheckpointError } from "@toolbatch/core";
import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresBatchStore } from "../../src/index.js";
import { createTestDatabase } from "../support/test-database.js";

// A row edited behind the store's back (by hand, by a bad migration, by another program) must load
// as a typed error, never as a TypeError from deep inside, and never as a checkpoint that is not.
const { connectionString } = await createTestDatabase("damaged_rows");
const pool = new pg.Pool({ connectionString });
afterAll(() => pool.end());
const store = createPostgresBatchStore(pool, { table: "damaged" });
const TABLE = `"toolbatch"."damaged"`;

/** Writes `json` (JSON text) over the stored checkpoint of `batchId`, as an outsider would. */
const overwrite = async (batchId: string, json: string) => {
  const { rowCount } = await pool.query(
    `UPDATE ${TABLE} SET checkpoint = $2::json WHERE batch_id = $1`,
    [JSON.stringify(batchId), json],
  );
  expect(rowCount).toBe(1);
};

/** What a load does now: the loaded checkpoint, or the error it threw. */
const loadOutcome = (batchId: string) =>
  store.load(batchId).then(
    (stored) => ({ stored }),
    (error: unknown) => ({ error }),
  );

const isTypedCheckpointError = (error: unknown) =>
  InvalidCheckpointError.isInstance(error) || CheckpointVersionError.isInstance(error);

describe("a PostgreSQL batch row edited into what is not a checkpoint", () => {
  it.each([
    ["a number", "42"],
    ["null", "null"],
    ["a string", '"checkpoint"'],
    ["an array", "[]"],
    ["an empty object", "{}"],
    ["a checkpoint of an unknown schema version", '{"schemaVersion": 999}'],
  ])("%s loads as a typed checkpoint error", async (_, json) => {
    const id = `garbage ${json}`;
    await store.save(id, sampleBatchCheckpoint(id), 0);
    await overwrite(id, json);
    const outcome = await loadOutcome(id);
    expect("error" in outcome && isTypedCheckpointError(outcome.error)).toBe(true);
    // The row is left as it is for a person to look at, and a save expecting it still conflicts
    // or succeeds by version alone.
    expect(await store.save(id, sampleBatchCheckpoint(id), 1)).toBe(2);
    expect((await store.load(id))?.checkpoint).toStrictEqual(sampleBatchCheckpoint(id));
  });

  it("any JSON in place of the checkpoint loads as a typed error or as a valid checkpoint", async () => {
    const id = "fuzzed-whole";
    await store.save(id, sampleBatchCheckpoint(id), 0);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await overwrite(id, JSON.stringify(value));
        const outcome = await loadOutcome(id);
        if ("error" in outcome) expect(isTypedCheckpointError(outcome.error)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("a checkpoint with one field replaced by any JSON loads as a typed error or a checkpoint", async () => {
    const id = "fuzzed-field";
    const sample = sampleBatchCheckpoint(id) as unknown as Record<string, unknown>;
    await store.save(id, sampleBatchCheckpoint(id), 0);
    // Every path to a value inside the sample: top-level fields down to the leaves.
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (path.length > 0) paths.push(path);
      if (value !== null && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key]);
      }
    };
    walk(sample, []);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        async (path, replacement) => {
          const damaged = structuredClone(sample);
          let parent = damaged as Record<string, unknown>;
          for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
          const last = path[path.length - 1] as string;
          if (replacement === undefined) delete parent[last];
          else parent[last] = replacement;
          await overwrite(id, JSON.stringify(damaged));
          const outcome = await loadOutcome(id);
          if ("error" in outcome) {
            expect(isTypedCheckpointError(outcome.error), String(outcome.error)).toBe(true);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
