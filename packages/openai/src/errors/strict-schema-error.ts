import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";
import type { StrictSchemaProblem } from "../check-strict-json-schema.js";

const marker = Symbol.for("toolbatch.error.strict-schema");

/**
 * Tool schemas cannot be sent with `strict: true`: OpenAI rejects the whole request when a strict
 * schema breaks its rules (every property required, `additionalProperties: false`, no
 * `allOf`/`not`/`if`, no `default`, size limits). Lists every problem of every tool at once.
 */
export class StrictSchemaError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** Every broken rule, in tool order, each with its tool, JSON pointer and fix. */
  declare readonly problems: readonly StrictSchemaProblem[];
  /** The first problem's tool. */
  declare readonly toolName: string;
  /** The first problem's place in its schema, as a JSON pointer. */
  declare readonly pointer: string;

  constructor(problems: readonly StrictSchemaProblem[]) {
    const lines = problems.map(
      (p) => `- tool "${p.toolName}" at ${p.pointer || "/"} ${p.problem} Fix: ${p.fix}`,
    );
    super(
      `[toolbatch/openai] ${problems.length} problem(s) keep these tools from strict mode:\n${lines.join("\n")}\nSee https://platform.openai.com/docs/guides/structured-outputs#supported-schemas, or pass strict: false.`,
    );
    this[marker] = true;
    this.name = "StrictSchemaError";
    this.problems = problems;
    this.toolName = problems[0]?.toolName ?? "";
    this.pointer = problems[0]?.pointer ?? "";
  }

  static override isInstance(value: unknown): value is StrictSchemaError {
    return hasErrorMarker(value, marker);
  }
}
