import pg from "pg";
import type { TestProject } from "vitest/node";
import { type PostgresSettings, settingsFor, startPostgresServer } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's PostgreSQL server, at the database made for the run (`toolbatch`). */
    postgres: PostgresSettings;
  }
}

/**
 * One PostgreSQL server per test run: started before the first test file, in a fresh temporary
 * directory on a free port, with a database `toolbatch` made for the run; its settings are
 * `provide`d as `postgres` (`inject("postgres")`). The returned teardown stops it and removes
 * its directory, after a failed run too; a failure while starting removes it at once.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const server = await startPostgresServer();
  try {
    const admin = new pg.Client(server.settings);
    await admin.connect();
    try {
      await admin.query("CREATE DATABASE toolbatch");
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.destroy();
    throw error;
  }
  project.provide("postgres", settingsFor(server.settings, "toolbatch"));
  console.log(
    `[pg-boss tests] PostgreSQL on ${server.settings.host}:${server.settings.port}, initdb + start ${server.startupMs} ms, ready with its database in ${Math.round(performance.now() - started)} ms`,
  );
  return () => server.destroy();
}
