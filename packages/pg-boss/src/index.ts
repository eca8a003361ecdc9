// @toolbatch/pg-boss: toolbatch on PostgreSQL (issue 17).
//   postgres-connection.ts  the application's connection as toolbatch takes it (pg-boss or pg)
export type {
  ExecuteSqlConnection,
  PostgresConnection,
  QueryConnection,
} from "./postgres-connection.js";
