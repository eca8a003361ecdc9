import { sampleBatchCheckpoint } from "@toolbatch/contract";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresBatchStore, PostgresBatchStoreError } from "../../src/index.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";

// A server of its own (the run's server is shared by the other files): stopped and started again
// between two saves. A pg Pool replaces the connections the restart broke; a lone Client cannot,
// and the application makes a new one. Either way a save either commits or fails with
// PostgresBatchStoreError, and nothing committed is lost.
describe("the PostgreSQL server restarted between two saves", () => {
  let server: PostgresServer;
  const poolErrors: unknown[] = [];
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startPostgresServer();
    pool = new pg.Pool(server.settings);
    // An idle connection the restart ends is reported here; the next query opens a new one.
    pool.on("error", (error) => poolErrors.push(error));
  });
  afterAll(async () => {
    await pool?.end();
    await server?.destroy();
  });

  it("a pool's store fails clearly while the server is down and saves again after it is up", async () => {
    const store = createPostgresBatchStore(pool, { table: "restart_pool" });
    const id = "across-restart";
    expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "before" }), 0)).toBe(1);

    await server.stop();
    const whileDown = await store.save(id, sampleBatchCheckpoint(id, { tag: "down" }), 1).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(PostgresBatchStoreError.isInstance(whileDown), String(whileDown)).toBe(true);
    expect(whileDown).toMatchObject({ operation: "save", batchId: id });
    expect(String((whileDown as Error).message)).toMatch(
      /^\[toolbatch\/pg-boss\] Could not save batch "across-restart" in "toolbatch"\."restart_pool": PostgreSQL failed \(.+\)\. The save may or may not have been committed/,
    );

    await server.start();
    expect(await store.load(id)).toStrictEqual({
      checkpoint: sampleBatchCheckpoint(id, { tag: "before" }),
      version: 1,
    });
    expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "after" }), 1)).toBe(2);
    expect(await store.load(id)).toStrictEqual({
      checkpoint: sampleBatchCheckpoint(id, { tag: "after" }),
      version: 2,
    });
  });

  it("a lone client's store fails clearly after a restart; a new client finds every save", async () => {
    const client = new pg.Client(server.settings);
    const clientErrors: unknown[] = [];
    client.on("error", (error) => clientErrors.push(error));
    await client.connect();
    const store = createPostgresBatchStore(client, { table: "restart_client" });
    const id = "lone-client";
    expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "one" }), 0)).toBe(1);
    expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "two" }), 1)).toBe(2);

    await server.stop();
    await server.start();
    const afterRestart = await store.save(id, sampleBatchCheckpoint(id, { tag: "lost" }), 2).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(PostgresBatchStoreError.isInstance(afterRestart), String(afterRestart)).toBe(true);
    await client.end().catch(() => undefined);

    const fresh = new pg.Client(server.settings);
    await fresh.connect();
    try {
      const again = createPostgresBatchStore(fresh, { table: "restart_client" });
      expect(await again.load(id)).toStrictEqual({
        checkpoint: sampleBatchCheckpoint(id, { tag: "two" }),
        version: 2,
      });
      expect(await again.save(id, sampleBatchCheckpoint(id, { tag: "three" }), 2)).toBe(3);
    } finally {
      await fresh.end();
    }
  });
});
