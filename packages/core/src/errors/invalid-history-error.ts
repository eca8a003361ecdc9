import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-history");

/**
 * A history handed to a codec's `read` cannot be read: it is not an array, or it holds an entry
 * the codec cannot read (not an object, missing what makes it a message of that vendor, a field
 * of the wrong type, a cycle, nesting too deep, a value that throws when read), as a history
 * loaded from storage as untyped JSON may. Entries of the right shape but of an unknown kind are
 * dropped with a warning instead.
 */
export class InvalidHistoryError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /**
   * The position in the history of the entry at fault, or -1 when the fault is not one entry's
   * (the history is not an array, or cannot be read at all).
   */
  declare readonly index: number;

  /**
   * The message names the entry itself: `[toolbatch/anthropic] history[3] is not a message: ...`,
   * or the history: `[toolbatch/anthropic] history is not an array: ...` (index -1).
   * @param detail what is wrong, as it continues `history[index]` (or `history`): ` is not a
   *   message: ...`, or `.content[2] is not a content block: ...`.
   * @param source the package that read, e.g. `toolbatch/anthropic`; it starts the message.
   * @param options `cause`: what was thrown while reading, when something was.
   */
  constructor(
    detail: string,
    index: number,
    source = "toolbatch/core",
    options?: { cause?: unknown },
  ) {
    super(`[${source}] history${index >= 0 ? `[${index}]` : ""}${detail}`, options);
    this[marker] = true;
    this.name = "InvalidHistoryError";
    this.index = index;
  }

  static override isInstance(value: unknown): value is InvalidHistoryError {
    return hasErrorMarker(value, marker);
  }
}
