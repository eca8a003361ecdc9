// Run by run-batch-process.test.ts in a child Node process (core from source through tsx).
//   <directory> <batchId> <idempotent: "true" | "false">: runs a batch of two calls one after the
//   other with a file store: `quick` returns, then `hang` prints "started <call id>" and never
//   ends; the test kills the process with SIGKILL there and resumes the batch itself.
import { createFileBatchStore } from "../../src/file-store.js";
import { runBatch } from "../../src/index.js";
import { killedBatch, killedBatchTools } from "./killed-batch.js";

const [directory = "", batchId = "", idempotent = "false"] = process.argv.slice(2);
const tools = killedBatchTools(idempotent === "true", (callId) => {
  process.stdout.write(`started ${callId}\n`);
  // A tool busy with I/O: the timer keeps the process alive until it is killed (with nothing
  // pending, Node would end it itself, on an unsettled top-level await).
  setInterval(() => {}, 1_000);
  return new Promise<never>(() => {});
});
await runBatch(killedBatch, tools, {
  batchId,
  store: createFileBatchStore(directory),
  parallel: false,
});
