// @toolbatch/pg-boss: toolbatch on PostgreSQL (issue 17).
//   postgres-connection.ts  the application's connection as toolbatch takes it (pg-boss or pg)
//   run-sql.ts              one statement on either shape
//   store/                  the PostgreSQL BatchStore and its table
//   errors/                 the database failing a store's statement
export {
  PostgresBatchStoreError,
  type PostgresBatchStoreOperation,
} from "./errors/postgres-batch-store-error.js";
export type {
  ExecuteSqlConnection,
  PostgresConnection,
  QueryConnection,
} from "./postgres-connection.js";
export { type BatchTableOptions, createPostgresBatchTable } from "./store/batch-table.js";
export {
  createPostgresBatchStore,
  type PostgresBatchStoreOptions,
} from "./store/postgres-batch-store.js";
