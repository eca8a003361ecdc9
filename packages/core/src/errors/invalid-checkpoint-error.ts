import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-checkpoint");

/**
 * A value read as a `BatchCheckpoint` is not one: a field is missing or of the wrong type, the
 * parts disagree (a result for a call the batch does not hold, two calls with one id), it is not
 * JSON data (a cycle, a BigInt, a value that throws when read), or the stored text is not JSON at
 * all (a file cut off by a crash, a record edited by hand). Never a `TypeError` or `SyntaxError`:
 * checkpoints come back from storage as untyped data.
 *
 * Not an `InvalidHistoryError`: a checkpoint is not a conversation history, and code that catches
 * a bad history to drop it must not silently drop a batch whose calls may have run.
 */
export class InvalidCheckpointError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /**
   * Where in the checkpoint the fault is, as a path from its root: `checkpoint.batch.calls[2].id`,
   * `checkpoint.results["call_1"]`, or `checkpoint` when the fault is the whole value's.
   */
  declare readonly path: string;

  /**
   * @param path where the fault is; the message starts with it.
   * @param problem what is wrong there, continuing the path: `is not a string: got 42`.
   * @param options `cause`: what was thrown while reading (a `SyntaxError` from `JSON.parse`, a
   *   getter's error), when something was.
   */
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(
      `[toolbatch/core] ${path} ${problem}. The checkpoint was damaged or changed in storage: ` +
        "restore it from a backup, or answer the batch's calls again from the model's turn.",
      options,
    );
    this[marker] = true;
    this.name = "InvalidCheckpointError";
    this.path = path;
  }

  static override isInstance(value: unknown): value is InvalidCheckpointError {
    return hasErrorMarker(value, marker);
  }
}
