import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";
import { describeDatabaseError } from "./postgres-batch-store-error.js";

const marker = Symbol.for("toolbatch.error.postgres-resource-limiter");

/** What the PostgreSQL resource limiter was doing when the database failed it. */
export type PostgresResourceLimiterOperation = "create-tables" | "acquire" | "closed";

/**
 * The database failed a PostgreSQL resource limiter's statement (a lost connection, a missing
 * permission), or the limiter was closed (`closed`) while a call waited. A failed `acquire` took nothing that outlives its lease: the executor answers the
 * call `execution_failed`, unrun. The driver's error is the `cause`.
 */
export class PostgresResourceLimiterError extends ToolbatchError {
  declare readonly [marker]: true;
  /** The limiter's operation that failed. */
  declare readonly operation: PostgresResourceLimiterOperation;

  constructor(operation: PostgresResourceLimiterOperation, cause: unknown) {
    const what =
      operation === "create-tables"
        ? "Could not create the resource limiter's tables"
        : "Could not acquire a call's resources";
    super(
      operation === "closed"
        ? "[toolbatch/pg-boss] The resource limiter was closed while a call waited for it."
        : `[toolbatch/pg-boss] ${what}: PostgreSQL failed (${describeDatabaseError(cause)}).`,
      { cause },
    );
    this[marker] = true;
    this.name = "PostgresResourceLimiterError";
    this.operation = operation;
  }

  static override isInstance(value: unknown): value is PostgresResourceLimiterError {
    return hasErrorMarker(value, marker);
  }
}
