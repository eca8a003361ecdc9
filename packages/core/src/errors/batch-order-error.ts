import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.batch-order");

/**
 * The calls added to a batch execution are not the first calls of the batch it was finished with,
 * in order: results could not be paired with calls.
 */
export class BatchOrderError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The position of the first call that does not match. */
  declare readonly index: number;

  constructor(index: number, detail: string) {
    super(
      `[toolbatch/core] Call ${index}: ${detail}. Add calls in batch order, as the stream assembler reports them.`,
    );
    this[marker] = true;
    this.name = "BatchOrderError";
    this.index = index;
  }

  static override isInstance(value: unknown): value is BatchOrderError {
    return hasErrorMarker(value, marker);
  }
}
