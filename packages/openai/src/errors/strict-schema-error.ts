import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.strict-schema");

/**
 * A tool's JSON Schema cannot be sent with `strict: true`: OpenAI rejects the whole request when a
 * strict schema breaks its rules (every property required, no `allOf`/`not`/`if`, ...).
 */
export class StrictSchemaError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The tool whose schema breaks the rules. */
  declare readonly toolName: string;
  /** Where in the schema, as a JSON pointer. */
  declare readonly pointer: string;

  constructor(toolName: string, pointer: string, problem: string) {
    super(
      `[toolbatch/openai] Tool "${toolName}" cannot be strict: at ${pointer || "/"} ${problem} See https://platform.openai.com/docs/guides/function-calling (strict mode), or pass strict: false.`,
    );
    this[marker] = true;
    this.name = "StrictSchemaError";
    this.toolName = toolName;
    this.pointer = pointer;
  }

  static override isInstance(value: unknown): value is StrictSchemaError {
    return hasErrorMarker(value, marker);
  }
}
