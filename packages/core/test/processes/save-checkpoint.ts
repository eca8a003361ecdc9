// Run by file-batch-store-process.test.ts in child Node processes (core from source through tsx).
//   race <directory> <batchId> <expectedVersion> <tag> <goAt>: waits until the clock reads goAt
//     (so that every child saves at once), saves once, prints {"won":true,"version":n} or
//     {"won":false} on a BatchConflictError.
//   churn <directory> <batchId> <inputChars>: loads and saves the batch, larger and larger, for
//     ever; the test kills it with SIGKILL in the middle.
import { createFileBatchStore } from "../../src/file-store.js";
import { BatchConflictError } from "../../src/index.js";
import { checkpointOf } from "./checkpoint-of.js";

const [mode, directory = "", batchId = "", ...rest] = process.argv.slice(2);
const store = createFileBatchStore(directory);
if (mode === "race") {
  const [expected, tag = "", goAt] = rest;
  while (Date.now() < Number(goAt)) {
    // spin: a timer would add its own jitter
  }
  try {
    const version = await store.save(batchId, checkpointOf(batchId, tag), Number(expected));
    process.stdout.write(JSON.stringify({ won: true, version }));
  } catch (error) {
    if (!BatchConflictError.isInstance(error)) throw error;
    process.stdout.write(JSON.stringify({ won: false }));
  }
} else if (mode === "churn") {
  const chars = Number(rest[0]);
  process.stdout.write("ready\n");
  for (let round = 0; ; round++) {
    const version = (await store.load(batchId))?.version ?? 0;
    await store.save(
      batchId,
      checkpointOf(batchId, `churn ${version + 1}`, chars + round),
      version,
    );
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
