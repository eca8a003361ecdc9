import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-transcript");

/**
 * A transcript handed to a codec's `render` is not one a vendor could accept: a turn whose
 * results do not answer its calls one to one, in order, or a turn of an unknown role.
 */
export class InvalidTranscriptError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The position in `Transcript.turns` of the turn at fault. */
  declare readonly turn: number;

  /**
   * @param source the package that rendered, e.g. `toolbatch/anthropic`; it starts the message.
   */
  constructor(message: string, turn: number, source = "toolbatch/core") {
    super(`[${source}] ${message}`);
    this[marker] = true;
    this.name = "InvalidTranscriptError";
    this.turn = turn;
  }

  static override isInstance(value: unknown): value is InvalidTranscriptError {
    return hasErrorMarker(value, marker);
  }
}
