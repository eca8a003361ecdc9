import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.duplicate-tool");

/** Two tools of one name were given in one tool set; a model could not tell them apart. */
export class DuplicateToolError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The name both tools share. */
  declare readonly toolName: string;

  constructor(toolName: string) {
    super(
      `[toolbatch/core] Two tools are named "${toolName}". Tool names must be unique within a tool set, because the model calls tools by name.`,
    );
    this[marker] = true;
    this.name = "DuplicateToolError";
    this.toolName = toolName;
  }

  static override isInstance(value: unknown): value is DuplicateToolError {
    return hasErrorMarker(value, marker);
  }
}
