import type { AnyTool } from "@toolbatch/core";
import type { FunctionTool } from "openai/resources/responses/responses";
import { toStrictJsonSchemas } from "./to-strict-json-schema.js";

/**
 * Responses tool declarations: flat `{ type: "function", name, description, parameters, strict }`.
 * `strict` is always sent: left out, Responses tries to make the schema strict by itself and falls
 * back silently (guides/function-calling), which makes argument shapes depend on the schema.
 */
export function encodeOpenAIResponsesTools(
  tools: readonly AnyTool[],
  strict: boolean,
): FunctionTool[] {
  // Every tool checked before any is encoded: one error lists the problems of all of them.
  const strictSchemas = strict ? toStrictJsonSchemas(tools) : undefined;
  return tools.map((tool, index) => ({
    type: "function",
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    parameters: strictSchemas?.[index] ?? tool.inputSchema,
    strict,
  }));
}
