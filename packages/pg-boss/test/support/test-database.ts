import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type PostgresSettings, settingsFor } from "./postgres-server.js";

/**
 * A new, empty database on the run's PostgreSQL server, with a unique name, for a test file (or a
 * test) that must not see another's tables, queues or rows. Nothing drops it: the server and all
 * its databases go at the end of the run.
 */
export async function createTestDatabase(prefix = "test"): Promise<PostgresSettings> {
  const run = inject("postgres");
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 24);
  const name = `${safe}_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client(settingsFor(run, "postgres"));
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return settingsFor(run, name);
}
