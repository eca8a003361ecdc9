import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.unsupported-database");

/**
 * The database handle of the `PgBoss` instance given (`boss.getDb()`) lacks a capability the
 * queue needs: `listen` (a dedicated LISTEN connection, for results and cancellations) or
 * `beginTransaction` (a connection held while a call runs, for its advisory locks). pg-boss's own
 * pool-based handle has both; a custom adapter may not.
 */
export class UnsupportedDatabaseError extends ToolbatchError {
  declare readonly [marker]: true;
  /** The missing method of pg-boss's `IDatabase`. */
  declare readonly capability: "listen" | "beginTransaction";

  constructor(capability: "listen" | "beginTransaction") {
    super(
      `[toolbatch/pg-boss] The PgBoss instance's database (boss.getDb()) has no ${capability}(), which the queue needs (${capability === "listen" ? "a dedicated connection to LISTEN for results and cancellations" : "a connection held while a call runs, for its advisory locks"}). Use pg-boss's own pool (the default), or a database adapter that implements ${capability}.`,
    );
    this[marker] = true;
    this.name = "UnsupportedDatabaseError";
    this.capability = capability;
  }

  static override isInstance(value: unknown): value is UnsupportedDatabaseError {
    return hasErrorMarker(value, marker);
  }
}
