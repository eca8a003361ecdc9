import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.result-mismatch");

/**
 * A result list does not pair one to one, in order, with the calls of its batch. Sending it would
 * leave a call unanswered or answer the wrong one, which every vendor rejects or misreads.
 */
export class ResultMismatchError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The position in the batch where the first mismatch is, or -1 when the counts differ. */
  declare readonly index: number;

  /**
   * @param source the package that found the mismatch, e.g. `toolbatch/openai`; it starts the message.
   */
  constructor(message: string, index: number, source = "toolbatch/core") {
    super(`[${source}] ${message}`);
    this[marker] = true;
    this.name = "ResultMismatchError";
    this.index = index;
  }

  static override isInstance(value: unknown): value is ResultMismatchError {
    return hasErrorMarker(value, marker);
  }
}
