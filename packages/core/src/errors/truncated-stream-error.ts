import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.truncated-stream");

/**
 * A vendor stream ended before the vendor ended the turn: it closed normally, but no event said
 * how the turn ended (`finish_reason`, `stop_reason`, `finishReason`, the response's `status`).
 * The connection was cut (a proxy, a timeout, a dropped network); the vendor SDKs mostly throw on
 * such a body, but not when it ends between two events. `runToolLoop` throws it as the `cause`
 * of a `ToolLoopError`, whose `result.interrupted` holds what arrived and what ran.
 */
export class TruncatedStreamError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The adapter whose stream it was (`openai-chat`, `anthropic`, ...). */
  declare readonly provider: string;

  constructor(provider: string) {
    super(
      `[toolbatch/core] The ${provider} stream ended before the turn did: no event said how the turn ended (finish_reason, stop_reason, finishReason, status). The connection was probably cut; send the request again.`,
    );
    this[marker] = true;
    this.name = "TruncatedStreamError";
    this.provider = provider;
  }

  static override isInstance(value: unknown): value is TruncatedStreamError {
    return hasErrorMarker(value, marker);
  }
}
