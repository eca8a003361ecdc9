import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { describeThrown } from "../values/describe-thrown.js";
import type { BatchCheckpoint } from "./batch-checkpoint.js";
import { parseBatchCheckpoint } from "./parse-batch-checkpoint.js";

/**
 * A checkpoint as JSON text, for a store that keeps text (a file, a Redis string, a text column).
 * It is checked first, as `parseBatchCheckpoint` checks what it reads, so what a store writes can
 * always be read back; an error's `cause` and unknown fields are left out.
 *
 * @throws {InvalidCheckpointError} when the value is not a checkpoint (or holds what is not JSON
 *   data: a BigInt, a cycle); nothing should be written then.
 */
export function serializeBatchCheckpoint(checkpoint: BatchCheckpoint): string {
  return JSON.stringify(parseBatchCheckpoint(checkpoint));
}

/**
 * Reads JSON text written by {@link serializeBatchCheckpoint} (or any JSON of a checkpoint).
 *
 * @throws {InvalidCheckpointError} when the text is not JSON (cut off by a crash, edited by hand,
 *   empty) or not a checkpoint; never a `SyntaxError`.
 * @throws {CheckpointVersionError} when it is a checkpoint of a schema version this
 *   `@toolbatch/core` cannot read.
 */
export function deserializeBatchCheckpoint(text: string): BatchCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidCheckpointError("checkpoint", `is not JSON: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  return parseBatchCheckpoint(value);
}
