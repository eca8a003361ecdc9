import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-history");

/**
 * A history handed to a codec's `read` holds an entry the codec cannot read: not an object, or
 * missing what makes it a message of that vendor (a history loaded from storage as untyped JSON).
 * Entries of the right shape but of an unknown kind are dropped with a warning instead.
 */
export class InvalidHistoryError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The position in the history of the entry at fault. */
  declare readonly index: number;

  /**
   * The message names the entry itself: `[toolbatch/anthropic] history[3] is not a message: ...`.
   * @param detail what is wrong, as it continues `history[index]`: ` is not a message: ...`, or
   *   `.content[2] is not a content block: ...`.
   * @param source the package that read, e.g. `toolbatch/anthropic`; it starts the message.
   */
  constructor(detail: string, index: number, source = "toolbatch/core") {
    super(`[${source}] history[${index}]${detail}`);
    this[marker] = true;
    this.name = "InvalidHistoryError";
    this.index = index;
  }

  static override isInstance(value: unknown): value is InvalidHistoryError {
    return hasErrorMarker(value, marker);
  }
}
