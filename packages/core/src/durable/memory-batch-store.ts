import { BatchConflictError } from "../errors/batch-conflict-error.js";
import type { BatchStore } from "./batch-store.js";
import { checkBatchId, checkVersion } from "./check-store-arguments.js";
import {
  deserializeBatchCheckpoint,
  serializeBatchCheckpoint,
} from "./serialize-batch-checkpoint.js";

/**
 * A {@link BatchStore} in this process's memory: for tests, and for pausing a batch (an approval)
 * within one process's life. Nothing survives a restart; use a file or database store for that.
 *
 * It keeps each checkpoint as JSON text, so it accepts and returns exactly what a store that
 * writes text does (a value that is not JSON data is refused on save, not on a later load), and no
 * caller can reach into what it holds. A save compares and sets within one synchronous step, so
 * of concurrent saves expecting one version, exactly one wins.
 */
export function createMemoryBatchStore(): BatchStore {
  const batches = new Map<string, { text: string; version: number }>();
  return {
    async load(batchId) {
      checkBatchId(batchId);
      const stored = batches.get(batchId);
      if (!stored) return undefined;
      return { checkpoint: deserializeBatchCheckpoint(stored.text), version: stored.version };
    },
    async save(batchId, checkpoint, expectedVersion) {
      checkBatchId(batchId);
      checkVersion(expectedVersion);
      const text = serializeBatchCheckpoint(checkpoint);
      const version = batches.get(batchId)?.version ?? 0;
      if (version !== expectedVersion) {
        throw new BatchConflictError(batchId, expectedVersion, version);
      }
      batches.set(batchId, { text, version: version + 1 });
      return version + 1;
    },
  };
}
