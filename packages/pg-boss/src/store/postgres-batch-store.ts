import {
  BatchConflictError,
  type BatchStore,
  deserializeBatchCheckpoint,
  InvalidCheckpointError,
  InvalidOptionError,
  serializeBatchCheckpoint,
} from "@toolbatch/core";
import { PostgresBatchStoreError } from "../errors/postgres-batch-store-error.js";
import type { PostgresConnection } from "../postgres-connection.js";
import { isPostgresConnection, runSql } from "../run-sql.js";
import { type BatchTableOptions, batchTable } from "./batch-table.js";

/** Options of {@link createPostgresBatchStore}. */
export interface PostgresBatchStoreOptions extends BatchTableOptions {
  /**
   * Whether the store creates its schema and table, if missing, before its first statement
   * (default `true`). Pass `false` when a migration creates them (`createPostgresBatchTable`).
   */
  createTable?: boolean;
}

// The key of a batch: the SHA-256 of its id as JSON text, computed by the server.
const KEY = "sha256(convert_to($1::text, 'UTF8'))";

/**
 * A `BatchStore` in a PostgreSQL table, for batches that continue in another process: an approval
 * decided in another process, a batch resumed after a crash. Every save is a compare-and-set on
 * the batch's version in one statement (the first save an `INSERT ... ON CONFLICT DO NOTHING`, each
 * later one an `UPDATE ... WHERE version = $expected`), so of concurrent saves from any number of
 * processes exactly one wins, and the others reject with `BatchConflictError`.
 *
 * `db` is the application's connection, `boss.getDb()` or a `pg` Pool or Client: the store runs
 * statements on it, and never opens or closes one. Checkpoints are checked before they are
 * written and when they are read (`parseBatchCheckpoint`): a row edited into something that is not
 * a checkpoint loads as `InvalidCheckpointError`.
 *
 * @throws {InvalidOptionError} when `db` has neither `executeSql` nor `query`, or an option is
 *   invalid.
 */
export function createPostgresBatchStore(
  db: PostgresConnection,
  options: PostgresBatchStoreOptions = {},
): BatchStore {
  if (!isPostgresConnection(db)) {
    throw new InvalidOptionError(
      "db",
      db,
      "a PostgreSQL connection: pg-boss's boss.getDb(), or a pg Pool or Client",
    );
  }
  const table = batchTable(options);
  let created: Promise<void> | undefined;
  // Created once per store, before its first statement; a failure is retried by the next call.
  const ready = (): Promise<void> => {
    if (options.createTable === false) return Promise.resolve();
    created ??= runSql(db, table.create, []).then(
      () => undefined,
      (error: unknown) => {
        created = undefined;
        throw new PostgresBatchStoreError("create-table", table.sql, undefined, error);
      },
    );
    return created;
  };
  const run = async (
    operation: "load" | "save",
    batchId: string,
    text: string,
    values: unknown[],
  ): Promise<readonly unknown[]> => {
    await ready();
    try {
      return await runSql(db, text, values);
    } catch (error) {
      throw new PostgresBatchStoreError(operation, table.sql, batchId, error);
    }
  };
  const storedVersion = async (batchId: string): Promise<number | undefined> => {
    const rows = await run(
      "load",
      batchId,
      `SELECT version FROM ${table.sql} WHERE batch_key = ${KEY}`,
      [JSON.stringify(batchId)],
    );
    return rows.length === 0 ? 0 : readVersion(rows[0], batchId);
  };

  return {
    async load(batchId) {
      checkBatchId(batchId);
      const rows = await run(
        "load",
        batchId,
        `SELECT version, checkpoint::text AS checkpoint FROM ${table.sql} WHERE batch_key = ${KEY}`,
        [JSON.stringify(batchId)],
      );
      if (rows.length === 0) return undefined;
      const row = rows[0] as { checkpoint?: unknown };
      const version = readVersion(row, batchId);
      if (typeof row.checkpoint !== "string") {
        throw new InvalidCheckpointError("checkpoint", "is not stored as JSON text");
      }
      return { checkpoint: deserializeBatchCheckpoint(row.checkpoint), version };
    },

    async save(batchId, checkpoint, expectedVersion) {
      checkBatchId(batchId);
      if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
        throw new InvalidOptionError("expectedVersion", expectedVersion, "an integer, 0 or more");
      }
      const text = serializeBatchCheckpoint(checkpoint);
      const id = JSON.stringify(batchId);
      const rows =
        expectedVersion === 0
          ? await run(
              "save",
              batchId,
              `INSERT INTO ${table.sql} (batch_key, batch_id, version, checkpoint)
               VALUES (${KEY}, $1, 1, $2::json) ON CONFLICT (batch_key) DO NOTHING RETURNING version`,
              [id, text],
            )
          : await run(
              "save",
              batchId,
              `UPDATE ${table.sql} SET version = version + 1, checkpoint = $2::json, updated_at = now()
               WHERE batch_key = ${KEY} AND version = $3 RETURNING version`,
              [id, text, expectedVersion],
            );
      if (rows.length === 1) return readVersion(rows[0], batchId);
      // Nothing written: the stored version moved. Which one it is now is for the message only.
      const actual = await storedVersion(batchId).catch(() => undefined);
      throw new BatchConflictError(batchId, expectedVersion, actual);
    },
  };
}

function checkBatchId(batchId: unknown): asserts batchId is string {
  if (typeof batchId !== "string") throw new InvalidOptionError("batchId", batchId, "a string");
}

/** A row's version, checked: a row edited by hand may hold anything. */
function readVersion(row: unknown, batchId: string): number {
  const version = Number((row as { version?: unknown } | undefined)?.version);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new InvalidCheckpointError(
      "version",
      `of batch ${JSON.stringify(batchId).slice(0, 60)} is not a positive integer in its row`,
    );
  }
  return version;
}
