import { hasErrorMarker, InvalidOptionError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-queue-option");

/**
 * An option of the queue executor or the tool worker has a value they cannot work with: core's
 * `InvalidOptionError` (its `isInstance` holds too) under the queue's own name.
 */
export class InvalidQueueOptionError extends InvalidOptionError {
  declare readonly [marker]: true;

  constructor(option: string, value: unknown, expected: string) {
    super(option, value, expected, "toolbatch/pg-boss");
    this[marker] = true;
    this.name = "InvalidQueueOptionError";
  }

  static override isInstance(value: unknown): value is InvalidQueueOptionError {
    return hasErrorMarker(value, marker);
  }
}
