// One worker process of the benchmarks: `node --import tsx worker-process.ts <connectionString> <name>`.
// It runs toolbatch's worker on the benchmark queue and a bare pg-boss worker on the bare queue,
// with the same pg-boss settings and one call at a time each; it prints "ready" once both work.

import { BARE_QUEUE, pause, QUEUE, wallNow, workTool } from "./support/bench-tools.js";
import { BARE_HANDLER_CHANNEL, type BareJobData, startBoss } from "./support/fleet.js";
import { createToolWorker } from "./support/queue-api.js";

const [connectionString, name] = process.argv.slice(2) as [string, string];
// The benchmark holds our stdin: when it ends (the benchmark is gone), so do we.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

const boss = await startBoss(connectionString);
await createToolWorker(boss, [workTool], { queue: QUEUE, concurrency: 1, name });
const db = boss.getDb();
await boss.work<BareJobData>(
  BARE_QUEUE,
  { batchSize: 1, localConcurrency: 1, pollingIntervalSeconds: 0.5 },
  async ([job]) => {
    if (!job) return undefined;
    await pause(job.data.waitMs);
    const output = { endedAt: wallNow() };
    if (job.data.notify === "handler") {
      await db.executeSql("SELECT pg_notify($1, $2)", [BARE_HANDLER_CHANNEL, job.id]);
    }
    return output;
  },
);
process.stdout.write("ready\n");
