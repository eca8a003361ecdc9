import type { AnyTool } from "@toolbatch/core";
import type { ChatCompletionFunctionTool } from "openai/resources/chat/completions";
import { toStrictJsonSchemas } from "./to-strict-json-schema.js";

/**
 * Chat Completions tool declarations: `{ type: "function", function: { name, description,
 * parameters, strict } }`. With `strict`, every schema is checked
 * (all problems of all tools reported at once) and prepared for strict mode.
 */
export function encodeOpenAIChatTools(
  tools: readonly AnyTool[],
  strict: boolean,
): ChatCompletionFunctionTool[] {
  // Every tool checked before any is encoded: one error lists the problems of all of them.
  const strictSchemas = strict ? toStrictJsonSchemas(tools) : undefined;
  return tools.map((tool, index) => ({
    type: "function",
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: strictSchemas?.[index] ?? tool.inputSchema,
      ...(strict ? { strict: true } : {}),
    },
  }));
}
