// A coordinating process for the coordinator-killed test:
// `node --import tsx coordinator.ts <connectionString> <queue> <batchId> <batch as JSON>`.
// It runs the batch through the queue with a PostgreSQL store and prints "ready" once it started;
// the test kills it with SIGKILL mid-batch.
import type { ToolCallBatch } from "@toolbatch/core";
import { createPostgresBatchStore } from "../../../src/index.js";
import { createQueueExecutor } from "../../../src/queue/queue-executor.js";
import { startBoss } from "./queue-fixture.js";
import { remoteStep } from "./serial-tools.js";

const [connectionString, queue, batchId, batchJson] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const boss = await startBoss(connectionString);
const queueExecutor = await createQueueExecutor(boss, { queue, sweepIntervalMs: 200 });
const store = createPostgresBatchStore(boss.getDb());
process.stdout.write("ready\n");
const batch = JSON.parse(batchJson) as ToolCallBatch;
await queueExecutor.runBatch(batch, [remoteStep], { store, batchId });
process.stdout.write("finished\n");
