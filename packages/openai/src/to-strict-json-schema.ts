import type { AnyTool, JsonSchema } from "@toolbatch/core";
import { checkStrictJsonSchema, type StrictSchemaProblem } from "./check-strict-json-schema.js";
import { convertToStrictJsonSchema } from "./convert-to-strict-json-schema.js";
import { StrictSchemaError } from "./errors/strict-schema-error.js";

/**
 * Prepares every tool's JSON Schema for OpenAI's `strict: true`, in tool order: each object gets
 * `additionalProperties: false` where it had none. Nothing that would change a tool's meaning is
 * done silently: when any schema breaks a strict-mode rule, one {@link StrictSchemaError} lists
 * every problem of every tool, each with its JSON pointer and its fix, before anything is sent.
 */
export function toStrictJsonSchemas(tools: readonly AnyTool[]): JsonSchema[] {
  const problems: StrictSchemaProblem[] = [];
  for (const tool of tools) problems.push(...checkStrictJsonSchema(tool.name, tool.inputSchema));
  if (problems.length > 0) throw new StrictSchemaError(problems);
  // With no problem left, the conversion only adds additionalProperties: false.
  return tools.map((tool) => convertToStrictJsonSchema(tool.inputSchema));
}
