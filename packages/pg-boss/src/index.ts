// @toolbatch/pg-boss: toolbatch on PostgreSQL (issue 17).
//   postgres-connection.ts  the application's connection as toolbatch takes it (pg-boss or pg)
//   run-sql.ts              one statement on either shape
//   store/                  the PostgreSQL BatchStore and its table
//   errors/                 the database failing a store's or a limiter's statement
//   limits/                 shared resource limits across coordinators, in PostgreSQL
//   queue/                  the queue executor and the tool worker on pg-boss (see queue-executor.ts)
export {
  PostgresBatchStoreError,
  type PostgresBatchStoreOperation,
} from "./errors/postgres-batch-store-error.js";
export {
  PostgresResourceLimiterError,
  type PostgresResourceLimiterOperation,
} from "./errors/postgres-resource-limiter-error.js";
export {
  createPostgresResourceLimiter,
  type PostgresResourceLimiter,
  type PostgresResourceLimiterOptions,
} from "./limits/postgres-resource-limiter.js";
export type {
  ExecuteSqlConnection,
  PostgresConnection,
  QueryConnection,
} from "./postgres-connection.js";
// The queue executor and the tool worker (src/queue/).
export { InvalidQueueOptionError } from "./queue/invalid-queue-option-error.js";
export {
  createQueueExecutor,
  type QueueExecutor,
  type QueueExecutorOptions,
} from "./queue/queue-executor.js";
export { type CallJobData, callJobId, type QueueProtocolOptions } from "./queue/queue-protocol.js";
export { createToolWorker, type ToolWorker, type ToolWorkerOptions } from "./queue/tool-worker.js";
export { UnsupportedDatabaseError } from "./queue/unsupported-database-error.js";
export { type BatchTableOptions, createPostgresBatchTable } from "./store/batch-table.js";
export {
  createPostgresBatchStore,
  type PostgresBatchStoreOptions,
} from "./store/postgres-batch-store.js";
