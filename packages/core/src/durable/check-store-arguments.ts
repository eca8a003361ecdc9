import { InvalidOptionError } from "../errors/invalid-option-error.js";

/** A store keys batches by string: anything else is a programmer error. */
export function checkBatchId(batchId: unknown): asserts batchId is string {
  if (typeof batchId !== "string") throw new InvalidOptionError("batchId", batchId, "a string");
}

/** A version a save may expect: 0 (not stored yet) or the version a load or save returned. */
export function checkVersion(expectedVersion: unknown): asserts expectedVersion is number {
  if (!Number.isSafeInteger(expectedVersion) || (expectedVersion as number) < 0) {
    throw new InvalidOptionError("expectedVersion", expectedVersion, "an integer, 0 or more");
  }
}
