import { describeValue } from "../values/describe-value.js";
import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.batch-conflict");

/**
 * A `BatchStore.save` expected the stored checkpoint of a batch to be at one version, and it was at
 * another: another process (or another resume in this one) saved the batch in between. Nothing
 * was written. The calls that process recorded may be running: do not run them here.
 */
export class BatchConflictError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The batch whose checkpoint was saved. */
  declare readonly batchId: string;
  /** The version the save expected (0: the batch was not to be stored yet). */
  declare readonly expectedVersion: number;
  /** The version the store holds (0: it holds none), when the store can tell. */
  declare readonly actualVersion: number | undefined;

  constructor(
    batchId: string,
    expectedVersion: number,
    actualVersion: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `[toolbatch/core] Batch ${describeValue(batchId)} was saved by someone else: expected ` +
        `version ${expectedVersion}, the store holds ${actualVersion ?? "another"}. Load it ` +
        "again and continue from what it holds; never run again the calls it records as started.",
      options,
    );
    this[marker] = true;
    this.name = "BatchConflictError";
    this.batchId = batchId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  static override isInstance(value: unknown): value is BatchConflictError {
    return hasErrorMarker(value, marker);
  }
}
