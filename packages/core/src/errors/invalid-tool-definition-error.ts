import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.invalid-tool-definition");

/**
 * A tool definition cannot be used with every vendor: a name that is not portable, an input
 * schema that yields no JSON Schema or is not an object, a timeout that is not a positive number.
 */
export class InvalidToolDefinitionError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The tool's name as given (it may itself be the problem). */
  declare readonly toolName: string;
  /** Which field of the definition is wrong: `name`, `input`, `timeoutMs`, `execute`, ... */
  declare readonly field: string;

  constructor(toolName: string, field: string, message: string, options?: { cause?: unknown }) {
    super(`[toolbatch/core] Tool "${toolName}": ${message}`, options);
    this[marker] = true;
    this.name = "InvalidToolDefinitionError";
    this.toolName = toolName;
    this.field = field;
  }

  static override isInstance(value: unknown): value is InvalidToolDefinitionError {
    return hasErrorMarker(value, marker);
  }
}
