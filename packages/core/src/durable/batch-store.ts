import type { BatchCheckpoint } from "./batch-checkpoint.js";

/** A checkpoint as a store holds it, with the version its last save gave it. */
export interface StoredBatchCheckpoint {
  /** The checkpoint, as saved. */
  readonly checkpoint: BatchCheckpoint;
  /** The version it was saved as: 1 after a batch's first save, one more after each save. */
  readonly version: number;
}

/**
 * Where batch checkpoints live between the steps of a batch, so that a batch can be continued in
 * another process, and so that two processes continuing the same batch cannot both run a call:
 * every save is a compare-and-set on the batch's version.
 *
 * Small on purpose: a store on Redis, DynamoDB or PostgreSQL is a page of code (the core README
 * shows one). `@toolbatch/contract`'s `describeBatchStoreContract` checks any implementation.
 * Core ships `createMemoryBatchStore()` and, for Node, `createFileBatchStore(directory)` from
 * `@toolbatch/core/file-store`.
 */
export interface BatchStore {
  /**
   * The batch's checkpoint and its version, or `undefined` when the store holds none for it.
   * What it returns is the caller's: changing it changes nothing stored.
   *
   * @throws {InvalidCheckpointError} when what is stored is not a checkpoint (damaged, cut off).
   * @throws {CheckpointVersionError} when it is one of a schema version that cannot be read.
   */
  load(batchId: string): Promise<StoredBatchCheckpoint | undefined>;
  /**
   * Stores the batch's checkpoint if, and only if, the stored version is `expectedVersion` (0 for a
   * batch the store does not hold yet), and resolves with the new version (`expectedVersion + 1`).
   * Atomic: of concurrent saves expecting the same version, from any number of processes, exactly
   * one succeeds. What is stored is a copy: changing the checkpoint afterwards changes nothing.
   *
   * @throws {BatchConflictError} when the stored version is not `expectedVersion`; nothing is
   *   written.
   * @throws {InvalidCheckpointError} when `checkpoint` is not one; nothing is written.
   */
  save(batchId: string, checkpoint: BatchCheckpoint, expectedVersion: number): Promise<number>;
}
