import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-transcript");

/**
 * A transcript handed to a codec's `render` is not one a vendor could accept: a turn whose
 * results do not answer its calls one to one, in order, a turn of an unknown role, or what is not
 * a transcript at all (a field of the wrong type, a cycle, a value that throws when read), as a
 * transcript loaded from storage as untyped JSON may be.
 */
export class InvalidTranscriptError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /**
   * The position in `Transcript.turns` of the turn at fault, or -1 when the fault is not one
   * turn's (the transcript is not an object, its `turns` not an array, its `system` not a string).
   */
  declare readonly turn: number;

  /**
   * @param source the package that rendered, e.g. `toolbatch/anthropic`; it starts the message.
   * @param options `cause`: what was thrown while reading the transcript, when something was.
   */
  constructor(
    message: string,
    turn: number,
    source = "toolbatch/core",
    options?: { cause?: unknown },
  ) {
    super(`[${source}] ${message}`, options);
    this[marker] = true;
    this.name = "InvalidTranscriptError";
    this.turn = turn;
  }

  static override isInstance(value: unknown): value is InvalidTranscriptError {
    return hasErrorMarker(value, marker);
  }
}
