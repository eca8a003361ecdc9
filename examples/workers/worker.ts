// One worker process of the demo: `node --import tsx worker.ts <connectionString> <label>`.
// It runs the main demo's lookup tool, one call at a time, and prints "ready <name>".
import { lookupCity } from "../demo/lookup-tools.js";
import { createToolWorker } from "./support/queue-api.js";
import { startBoss } from "./support/start-boss.js";

const [connectionString, label] = process.argv.slice(2) as [string, string];
// The demo holds our stdin: when it ends (the demo is gone), so do we.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

const boss = await startBoss(connectionString);
const worker = await createToolWorker(boss, [lookupCity], {
  name: `${label} (pid ${process.pid})`,
  concurrency: 1,
});
process.stdout.write(`ready ${worker.name}\n`);
