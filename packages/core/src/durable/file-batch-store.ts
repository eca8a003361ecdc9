import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { BatchConflictError } from "../errors/batch-conflict-error.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { describeThrown } from "../values/describe-thrown.js";
import { describeValue } from "../values/describe-value.js";
import { isJsonObject } from "../values/is-json-object.js";
import type { BatchStore, StoredBatchCheckpoint } from "./batch-store.js";
import { checkBatchId, checkVersion } from "./check-store-arguments.js";
import { batchFileBase } from "./file-batch-names.js";
import { acquireFileLock, ignoreMissing, isCode } from "./file-lock.js";
import { parseBatchCheckpoint } from "./parse-batch-checkpoint.js";
import { serializeBatchCheckpoint } from "./serialize-batch-checkpoint.js";

// The file store, for Node (it imports node:fs): exported from `@toolbatch/core/file-store`, never
// from the main entry, so browser and edge users of core never load it.
//
// One JSON file per batch, `<base>.json` (file-batch-names.ts says how a batch id becomes a safe
// base), holding `{ batchId, version, checkpoint }`. A save:
//   1. takes the batch's lock, `<base>.lock`, created exclusively (file-lock.ts: who holds it,
//      and how a lock left by a dead process is broken);
//   2. reads the stored version (0 when there is no file) and, if it is not the expected one,
//      lets go and rejects with BatchConflictError;
//   3. writes the new file to `<base>.<token>.tmp` in the same directory and fsyncs it;
//   4. checks it still holds the lock (a holder stalled past `staleMs` may have lost it: then it
//      starts over at 1), renames the temporary file over `<base>.json`, fsyncs the directory;
//   5. lets go of the lock.
// Compare and set happen under the lock, so of processes saving the same expected version,
// exactly one wins. The rename is atomic: a process killed at any moment leaves the old file or
// the new one, never a torn one, and a reader (load takes no lock) sees one or the other. What a
// killed save leaves behind, its lock and its temporary file, is removed by the next save of that
// batch. A plain read-compare-rename without the lock would let two processes both read version
// N and both rename, each believing it won.
//
// For a local file system. On a network file system, exclusive create and rename may not be
// atomic across machines: use a database store there.

/** Options of {@link createFileBatchStore}. */
export interface FileBatchStoreOptions {
  /**
   * How old a batch's lock must be, in milliseconds, to be taken as left by a process that died,
   * when that cannot be told otherwise (a process on another machine sharing the directory, a
   * lock written only in part). A lock is held for the few milliseconds a save takes, and a lock
   * of a dead process on this machine is broken at once. Default 10,000.
   */
  readonly staleLockMs?: number | undefined;
}

/**
 * A {@link BatchStore} in a directory: one JSON file per batch, replaced atomically (a temporary
 * file, fsync, rename) under a per-batch lock, so a checkpoint survives a crash at any moment and
 * two processes saving the same version cannot both win. The directory is created on the first
 * save. Node only: import it from `@toolbatch/core/file-store`.
 *
 * @param directory where the files go; a directory of their own, as stale locks and temporary
 *   files of crashed processes are cleaned up there.
 */
export function createFileBatchStore(
  directory: string,
  options: FileBatchStoreOptions = {},
): BatchStore {
  if (typeof directory !== "string" || directory === "") {
    throw new InvalidOptionError("directory", directory, "a path to a directory");
  }
  const staleMs = options.staleLockMs ?? 10_000;
  if (!(typeof staleMs === "number" && staleMs > 0)) {
    throw new InvalidOptionError("staleLockMs", staleMs, "a number of milliseconds above 0");
  }
  return {
    async load(batchId) {
      checkBatchId(batchId);
      return readStored(join(directory, batchFileBase(batchId)), batchId);
    },
    async save(batchId, checkpoint, expectedVersion) {
      checkBatchId(batchId);
      checkVersion(expectedVersion);
      const text = serializeBatchCheckpoint(checkpoint);
      await mkdir(directory, { recursive: true });
      const base = join(directory, batchFileBase(batchId));
      for (;;) {
        const lock = await acquireFileLock(base, staleMs);
        const temp = `${base}.${lock.token}.tmp`;
        try {
          const version = (await readStored(base, batchId))?.version ?? 0;
          if (version !== expectedVersion) {
            throw new BatchConflictError(batchId, expectedVersion, version);
          }
          const file = `{"batchId":${JSON.stringify(batchId)},"version":${version + 1},"checkpoint":${text}}`;
          await writeSynced(temp, file);
          if (!(await lock.holds())) continue; // lost to a breaker: start over
          await rename(temp, `${base}.json`);
          await syncDirectory(directory);
          return version + 1;
        } finally {
          await unlink(temp).catch(ignoreMissing);
          await lock.release();
        }
      }
    },
  };
}

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable: the directory's entry is on disk. Not possible everywhere (Windows). */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename is atomic all the same; only its durability across a power loss is the OS's.
  }
}

async function readStored(
  base: string,
  batchId: string,
): Promise<StoredBatchCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(`${base}.json`, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
  const where = `${base}.json`;
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    throw new InvalidCheckpointError(where, `is not JSON: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  if (!isJsonObject(stored)) throw new InvalidCheckpointError(where, "is not an object");
  if (stored.batchId !== batchId) {
    throw new InvalidCheckpointError(
      where,
      `holds batch ${describeValue(stored.batchId)}, not ${describeValue(batchId)}`,
    );
  }
  const version = stored.version;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidCheckpointError(where, `holds no version: got ${describeValue(version)}`);
  }
  return { checkpoint: parseBatchCheckpoint(stored.checkpoint), version };
}
