/**
 * Why a call has no output. Every code is data for the model, never an exception.
 * - `unknown_tool`: the model named a tool that is not registered.
 * - `invalid_input`: the arguments were not JSON or did not match the tool's schema.
 * - `execution_failed`: the tool threw (anything: an Error, a string, `undefined`), or, before it
 *   ran, its input validator or lock function failed (threw, or returned no valid result).
 * - `invalid_output`: the tool returned a value that cannot be serialized (BigInt, a cycle).
 * - `timeout`: the tool ran past its time limit and its signal was aborted. The tool may not have
 *   stopped: what it does may still take effect, and the call holds its lock keys, barrier and
 *   concurrency place until the tool ends.
 * - `aborted`: the batch was cancelled while the tool was running (the same holds as for `timeout`).
 * - `not_executed`: the tool never started (batch cancelled first, the turn was cut off, or what
 *   it needs stayed held by a call past its time limit for the whole of its own limit).
 * - `denied`: the call needed approval (`needsApproval`) and was refused; the tool never ran. The
 *   text gives the reason, if any, and tells the model not to retry unless the user asks.
 * - `outcome_unknown`: the call started in a process that ended before its tool did (a crash),
 *   so nothing recorded its outcome: what it does may or may not have taken effect. Given on
 *   resume (`resumeBatch`) to a call of a tool that is not `idempotent`; the text tells the model
 *   to check before calling it again.
 */
export type ToolErrorCode =
  | "unknown_tool"
  | "invalid_input"
  | "execution_failed"
  | "invalid_output"
  | "timeout"
  | "aborted"
  | "not_executed"
  | "denied"
  | "outcome_unknown";

/** Why a call failed: a code for programs and a message written for the model to read. */
export interface ToolError {
  /** The kind of failure. */
  readonly code: ToolErrorCode;
  /**
   * What went wrong, written so a model can correct itself: the text the model reads, sent to the
   * vendor by every adapter and kept in checkpoints. With the executor's `errorText` option, the
   * application's text (see {@link ToolError.unmappedMessage}).
   */
  readonly message: string;
  /**
   * The executor's own text, when the executor's `errorText` option replaced `message`: for the
   * application, in this process; never sent, and not kept in checkpoints.
   */
  readonly unmappedMessage?: string;
  /** The thrown value or abort reason behind the failure, for the application; never sent. */
  readonly cause?: unknown;
}

/**
 * A call that ran and returned. `Name` and `Output` are the tool's where the tools are known
 * (`executeBatch` with a list of defined tools): see `ToolResultOf`.
 */
export interface ToolSuccess<Name extends string = string, Output = unknown> {
  /** The `id` of the call this answers. */
  readonly callId: string;
  /** The name of the call this answers: the tool's. */
  readonly name: Name;
  readonly ok: true;
  /** What the tool returned; JSON-serializable (checked by the executor). */
  readonly output: Output;
  /**
   * What the model reads instead of `output`, when the tool's `toModelOutput` mapped it: adapters
   * send it in the follow-up (see `modelOutputOf`), and checkpoints keep it. Absent otherwise.
   */
  readonly modelOutput?: unknown;
}

/** A call that did not produce an output. */
export interface ToolFailure {
  /** The `id` of the call this answers. */
  readonly callId: string;
  /**
   * The name of the call this answers, as the model sent it: any string, since a model may call
   * a tool that is not in the list (`unknown_tool`).
   */
  readonly name: string;
  readonly ok: false;
  /** Why it failed. */
  readonly error: ToolError;
}

/** The answer to one call. A batch's results hold exactly one per call, in call order. */
export type ToolResult = ToolSuccess | ToolFailure;

/** Builds a successful result for a call. */
export function toolSuccess(call: { id: string; name: string }, output: unknown): ToolSuccess {
  return { callId: call.id, name: call.name, ok: true, output };
}

/** Builds an error result for a call. */
export function toolFailure(
  call: { id: string; name: string },
  code: ToolErrorCode,
  message: string,
  cause?: unknown,
): ToolFailure {
  const error: ToolError = cause === undefined ? { code, message } : { code, message, cause };
  return { callId: call.id, name: call.name, ok: false, error };
}
