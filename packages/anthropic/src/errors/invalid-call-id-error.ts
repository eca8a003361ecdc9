import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-call-id");

/**
 * A call id of the batch cannot go to Anthropic: it breaks `^[a-zA-Z0-9_-]+$` (ids carried over
 * from another vendor, such as Ollama's `functions.get_weather:0`), or an earlier call of the
 * batch has it too ("`tool_use` ids must be unique"). The follow-up is refused, not sent for a 400.
 */
export class InvalidCallIdError extends ToolbatchError {
  // Set in the constructor: a computed class field would keep this class in every bundle.
  declare readonly [marker]: true;
  // The fields too are only declared (no class field definitions emitted): the constructor sets each.
  /** The offending id. */
  declare readonly callId: string;
  /** The call's position in the batch. */
  declare readonly callIndex: number;
  /** `pattern`: characters Anthropic rejects. `duplicate`: an earlier call has the same id. */
  declare readonly reason: "pattern" | "duplicate";

  constructor(callId: string, callIndex: number, reason: "pattern" | "duplicate") {
    super(
      reason === "pattern"
        ? `[toolbatch/anthropic] Call ${callIndex} has the id ${JSON.stringify(callId)}, which Anthropic rejects: tool_use ids must match ^[a-zA-Z0-9_-]+$. Map the ids of a history from another vendor before sending it to Anthropic.`
        : `[toolbatch/anthropic] Call ${callIndex} has the id ${JSON.stringify(callId)} of an earlier call in the same batch; Anthropic rejects a prompt whose tool_use ids are not unique.`,
    );
    this[marker] = true;
    this.name = "InvalidCallIdError";
    this.callId = callId;
    this.callIndex = callIndex;
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is InvalidCallIdError {
    return hasErrorMarker(value, marker);
  }
}
