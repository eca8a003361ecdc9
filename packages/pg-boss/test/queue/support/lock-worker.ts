// A worker process for the lock tests: `node --import tsx lock-worker.ts <connectionString> <queue>`.
// Its tools touch the test's tables through a pg Pool of their own and record what they saw.
import { defineTool, jsonSchema } from "@toolbatch/core";
import pg from "pg";
import { createToolWorker } from "../../../src/queue/tool-worker.js";
import { startBoss } from "./queue-fixture.js";

const [connectionString, queue] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString, max: 4 });

export const lockTools = [
  defineTool({
    name: "increment",
    description: "read-modify-write of one counter under a lock key",
    input: jsonSchema<{ key: string }>({ type: "object" }),
    lock: ({ key }) => key,
    execute: async ({ key }) => {
      const { rows } = await pool.query(
        "UPDATE lock_probe SET inflight = inflight + 1, collisions = collisions + (inflight > 0)::int WHERE key = $1 RETURNING counter",
        [key],
      );
      const seen = rows[0].counter as number;
      await new Promise((resolve) => setImmediate(resolve));
      await pool.query(
        "UPDATE lock_probe SET counter = $2, inflight = inflight - 1 WHERE key = $1",
        [key, seen + 1],
      );
      return seen + 1;
    },
  }),
  defineTool({
    name: "interval",
    description: "records when it ran, under its keys",
    input: jsonSchema<{ id: string; keys: string[] }>({ type: "object" }),
    lock: ({ keys }) => keys,
    execute: async ({ id, keys }) => {
      await pool.query(
        "INSERT INTO lock_intervals (id, keys, started) VALUES ($1, $2, clock_timestamp())",
        [id, keys],
      );
      await new Promise((resolve) => setTimeout(resolve, 2));
      await pool.query("UPDATE lock_intervals SET ended = clock_timestamp() WHERE id = $1", [id]);
      return process.pid;
    },
  }),
];

const boss = await startBoss(connectionString);
await createToolWorker(boss, lockTools, { queue, concurrency: 4, name: `pid-${process.pid}` });
process.stdout.write("ready\n");
