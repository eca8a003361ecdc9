import { describeValue, hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.postgres-batch-store");

/** What the PostgreSQL batch store was doing when the database failed it. */
export type PostgresBatchStoreOperation = "load" | "save" | "create-table";

/**
 * The database failed a PostgreSQL batch store's statement: the connection was lost (a server
 * restart, a network fault), the table is missing or not the store's, a permission is lacking. The
 * driver's error is the `cause`. After a failed save the store cannot tell whether the server
 * committed it before the connection broke: load the batch to see which version it holds.
 */
export class PostgresBatchStoreError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The store's operation that failed. */
  declare readonly operation: PostgresBatchStoreOperation;
  /** The schema-qualified table, as SQL: `"toolbatch"."batch_checkpoints"`. */
  declare readonly table: string;
  /** The batch loaded or saved; `undefined` while creating the table. */
  declare readonly batchId: string | undefined;

  constructor(
    operation: PostgresBatchStoreOperation,
    table: string,
    batchId: string | undefined,
    cause: unknown,
  ) {
    const reason = describeDatabaseError(cause);
    const what =
      operation === "create-table"
        ? `Could not create the batch table ${table}`
        : `Could not ${operation} batch ${describeValue(batchId)} in ${table}`;
    const after =
      operation === "save"
        ? " The save may or may not have been committed: load the batch to see its version."
        : "";
    super(`[toolbatch/pg-boss] ${what}: PostgreSQL failed (${reason}).${after}`, { cause });
    this[marker] = true;
    this.name = "PostgresBatchStoreError";
    this.operation = operation;
    this.table = table;
    this.batchId = batchId;
  }

  static override isInstance(value: unknown): value is PostgresBatchStoreError {
    return hasErrorMarker(value, marker);
  }
}

/** A driver error's message and SQLSTATE code, without ever throwing (a getter may). */
export function describeDatabaseError(cause: unknown): string {
  try {
    if (!(cause instanceof Error)) return describeValue(cause);
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${cause.message} [${code}]` : cause.message;
  } catch {
    return "an error that cannot be described";
  }
}
