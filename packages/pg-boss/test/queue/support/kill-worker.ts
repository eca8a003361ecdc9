// A worker process for the SIGKILL tests: `node --import tsx kill-worker.ts <connectionString> <queue> <hang|finish>`.
// Its tools record their effect (a row with the process id), then hang until killed or return.
import { defineTool, jsonSchema } from "@toolbatch/core";
import pg from "pg";
import { createToolWorker } from "../../../src/queue/tool-worker.js";
import { startBoss } from "./queue-fixture.js";

const [connectionString, queue, mode] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString, max: 2 });

async function effect(callId: string): Promise<number> {
  await pool.query("INSERT INTO effects (call_id, pid) VALUES ($1, $2)", [callId, process.pid]);
  // Hangs like a tool that is slow; SIGKILL ends it here. A timer keeps the process busy.
  if (mode === "hang") await new Promise(() => setInterval(() => {}, 1000));
  return process.pid;
}

const input = jsonSchema<{ n: number }>({ type: "object" });
const tools = [
  defineTool({
    name: "charge",
    description: "not idempotent",
    input,
    execute: (_, { call }) => effect(call.id),
  }),
  defineTool({
    name: "lookup",
    description: "idempotent",
    input,
    idempotent: true,
    execute: (_, { call }) => effect(call.id),
  }),
];

const boss = await startBoss(connectionString);
await createToolWorker(boss, tools, { queue, name: `${mode}-${process.pid}`, concurrency: 2 });
process.stdout.write("ready\n");
