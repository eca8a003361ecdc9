import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { type AnyTool, createToolSet } from "@toolbatch/core";

/**
 * Anthropic tool declarations: `{ name, description, input_schema }` (custom tools; Anthropic's
 * server tools are declared by the application itself). Names are checked for uniqueness first;
 * `defineTool` already keeps them within Anthropic's `^[a-zA-Z0-9_-]{1,128}$`.
 */
export function encodeAnthropicTools(tools: readonly AnyTool[]): Tool[] {
  return createToolSet(tools).tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    // defineTool guarantees a root `type: "object"`, which is all Anthropic requires of it.
    input_schema: tool.inputSchema as Tool.InputSchema,
  }));
}
