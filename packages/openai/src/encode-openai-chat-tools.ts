import type { AnyTool } from "@toolbatch/core";
import type { ChatCompletionFunctionTool } from "openai/resources/chat/completions";
import { toStrictJsonSchema } from "./to-strict-json-schema.js";

/**
 * Chat Completions tool declarations: `{ type: "function", function: { name, description,
 * parameters, strict } }`. With `strict`, schemas are checked and prepared for strict mode.
 */
export function encodeOpenAIChatTools(
  tools: readonly AnyTool[],
  strict: boolean,
): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: strict ? toStrictJsonSchema(tool.name, tool.inputSchema) : tool.inputSchema,
      ...(strict ? { strict: true } : {}),
    },
  }));
}
