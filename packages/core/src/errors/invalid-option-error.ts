import { describeValue } from "../values/describe-value.js";
import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-option");

/** An option passed to a toolbatch function has a value it cannot work with. */
export class InvalidOptionError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The option's name, e.g. `concurrency`. */
  declare readonly option: string;
  /** The value that was given. */
  declare readonly value: unknown;

  /**
   * @param source the package whose option it is (`toolbatch/pg-boss`, ...), for the message: the
   *   other packages' option errors are this class under their own names.
   */
  constructor(option: string, value: unknown, expected: string, source = "toolbatch/core") {
    super(`[${source}] Option "${option}" must be ${expected}; got ${describeValue(value)}.`);
    this[marker] = true;
    this.name = "InvalidOptionError";
    this.option = option;
    this.value = value;
  }

  static override isInstance(value: unknown): value is InvalidOptionError {
    return hasErrorMarker(value, marker);
  }
}
