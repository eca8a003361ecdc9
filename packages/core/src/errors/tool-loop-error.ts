import type { ToolLoopPartialResult } from "../loop/tool-loop-result.js";
import { describeCauseForMessage } from "../values/describe-thrown.js";
import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.tool-loop");

/**
 * `runToolLoop` could not go on, for a reason other than the caller's abort: `send` threw or
 * rejected (a network error, the vendor's 4xx or 5xx), the stream threw or ended before the
 * vendor ended the turn (`TruncatedStreamError`), or an adapter could not read or answer the turn. `cause` is that error, as thrown; `result` is what the loop did until
 * then, every call that ran included (also the calls of a turn that broke off while it
 * streamed, in `result.interrupted`).
 *
 * @example
 * try {
 *   await runToolLoop({ adapter, tools, request, send });
 * } catch (error) {
 *   if (!ToolLoopError.isInstance(error)) throw error;
 *   saveHistory(error.result.history); // valid for the vendor: send error.result.request to retry
 * }
 */
export class ToolLoopError<
  Request = unknown,
  Message = unknown,
  Turn = unknown,
> extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The step (0-based) the loop was on when it failed: the request it sent, or the turn it read. */
  declare readonly step: number;
  /**
   * What the loop did until it failed: the history up to the last finished step (valid for the
   * vendor), every finished step, and the turn that broke off with the result of each of its
   * calls (`interrupted`).
   */
  declare readonly result: ToolLoopPartialResult<Request, Message, Turn>;
  /** The error that stopped the loop, as it was thrown (the vendor SDK's own error, ...). */
  declare readonly cause: unknown;

  constructor(step: number, cause: unknown, result: ToolLoopPartialResult<Request, Message, Turn>) {
    super(
      `[toolbatch/core] runToolLoop stopped at step ${step}: ${describeCauseForMessage(cause)}. error.result keeps the history up to the last finished step and the result of every call that ran (a turn that broke off is in error.result.interrupted); error.cause is the original error.`,
      { cause },
    );
    this[marker] = true;
    this.name = "ToolLoopError";
    this.step = step;
    this.result = result;
    this.cause = cause;
  }

  static override isInstance(value: unknown): value is ToolLoopError {
    return hasErrorMarker(value, marker);
  }
}
