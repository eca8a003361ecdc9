import { InvalidOptionError } from "@toolbatch/core";
import { PostgresBatchStoreError } from "../errors/postgres-batch-store-error.js";
import type { PostgresConnection } from "../postgres-connection.js";
import { runSql } from "../run-sql.js";

/** Where the PostgreSQL batch store keeps its checkpoints. */
export interface BatchTableOptions {
  /** The schema of the table; default `toolbatch`. Created when missing. */
  schema?: string;
  /** The table; default `batch_checkpoints`. One table can hold the batches of many stores. */
  table?: string;
}

/** The table's name, checked, and quoted for SQL. */
export interface BatchTable {
  /** `"schema"."table"`, safe to put in a statement. */
  readonly sql: string;
  /** The statement that creates the schema and table when missing. */
  readonly create: string;
}

// Plain identifiers only: they go into statements (quoted), and a name that needs escaping is
// more likely a mistake than a wish.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function identifier(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !IDENTIFIER.test(value)) {
    throw new InvalidOptionError(
      option,
      value,
      "a PostgreSQL identifier of letters, digits and _ (at most 63, not starting with a digit)",
    );
  }
  return value;
}

/**
 * The store's table. `batch_key` is the SHA-256 of `batch_id`, so a batch id of any length fits
 * the primary key's index (a b-tree entry holds at most about 2.7 KB). `batch_id` and
 * `checkpoint` are JSON: `batch_id` the id as a JSON string, so any JavaScript string, NUL and
 * lone surrogates included, is stored as valid text; `checkpoint` is `json`, not `jsonb`, because
 * jsonb refuses the character U+0000, which a checkpoint may hold (in a batch id, a tool's input
 * or output). The server still checks that it is JSON, and `->`/`->>` work on it.
 */
export function batchTable(options: BatchTableOptions = {}): BatchTable {
  const schema = identifier("schema", options.schema, "toolbatch");
  const table = identifier("table", options.table, "batch_checkpoints");
  const sql = `"${schema}"."${table}"`;
  // One statement (a DO block), so it runs on any connection, and under an advisory lock: two
  // processes creating the same table at once otherwise fail on pg_type's unique index.
  const create = `DO $toolbatch$ BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('toolbatch:' || '${sql}'));
  CREATE SCHEMA IF NOT EXISTS "${schema}";
  CREATE TABLE IF NOT EXISTS ${sql} (
    batch_key bytea PRIMARY KEY,
    batch_id text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    checkpoint json NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
END $toolbatch$`;
  return { sql, create };
}

/**
 * Creates the PostgreSQL batch store's schema and table if they are missing: for a migration step
 * at deploy time, when the store runs with `createTable: false` (its role may not create tables).
 * Idempotent, and safe to run from several processes at once.
 *
 * @throws {InvalidOptionError} when `schema` or `table` is not a plain identifier.
 * @throws {PostgresBatchStoreError} when PostgreSQL fails the statement (the driver's error is its
 *   `cause`).
 */
export async function createPostgresBatchTable(
  db: PostgresConnection,
  options: BatchTableOptions = {},
): Promise<void> {
  const table = batchTable(options);
  try {
    await runSql(db, table.create, []);
  } catch (error) {
    throw new PostgresBatchStoreError("create-table", table.sql, undefined, error);
  }
}
