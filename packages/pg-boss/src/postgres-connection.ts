/**
 * pg-boss's own database handle, `boss.getDb()` (pg-boss calls its type `IDatabase`), or any
 * object with the same method. toolbatch only runs statements through it: the connection, its
 * pool and its lifetime stay the application's.
 */
export interface ExecuteSqlConnection {
  /** Runs one statement with `$1`-style parameters and resolves with its rows. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * A `pg` (node-postgres) `Pool`, `Client` or `PoolClient`, or any object with the same `query`.
 */
export interface QueryConnection {
  /** Runs one statement with `$1`-style parameters and resolves with its rows. */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The application's connection to PostgreSQL, as toolbatch takes it: pg-boss's `boss.getDb()`
 * or a `pg` Pool or Client. toolbatch never opens, pools or closes a connection.
 */
export type PostgresConnection = ExecuteSqlConnection | QueryConnection;
