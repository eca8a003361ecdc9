import type { PostgresConnection } from "./postgres-connection.js";

/**
 * Runs one statement on the application's connection, whichever shape it has: pg-boss's
 * `executeSql` is preferred when both are there (pg-boss's handle applies its session settings).
 */
export async function runSql(
  db: PostgresConnection,
  text: string,
  values: unknown[],
): Promise<readonly unknown[]> {
  const result =
    "executeSql" in db ? await db.executeSql(text, values) : await db.query(text, values);
  return result.rows;
}

/** Whether a value has the shape of a {@link PostgresConnection}. */
export function isPostgresConnection(value: unknown): value is PostgresConnection {
  if (typeof value !== "object" || value === null) return false;
  const { executeSql, query } = value as Record<string, unknown>;
  return typeof executeSql === "function" || typeof query === "function";
}
