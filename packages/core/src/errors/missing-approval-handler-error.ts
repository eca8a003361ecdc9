import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.missing-approval-handler");

/**
 * A batch was to run with a tool whose calls may need approval (`needsApproval` is `true` or a
 * function) but without an `approve` handler to decide them. Thrown before anything runs: without
 * a handler such a call could neither run nor be answered honestly.
 */
export class MissingApprovalHandlerError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The first tool of the set that may need approval. */
  declare readonly toolName: string;

  constructor(toolName: string) {
    super(
      `[toolbatch/core] Tool "${toolName}" may need approval (needsApproval), but no approve handler was given: pass { approve } in the options.`,
    );
    this[marker] = true;
    this.name = "MissingApprovalHandlerError";
    this.toolName = toolName;
  }

  static override isInstance(value: unknown): value is MissingApprovalHandlerError {
    return hasErrorMarker(value, marker);
  }
}
