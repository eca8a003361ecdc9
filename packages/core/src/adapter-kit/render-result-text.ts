import type { ToolResult } from "../batch/tool-result.js";

/**
 * Renders an output as text: strings as they are, `undefined` as `""`, anything else as JSON.
 * The executor has already checked that outputs serialize.
 */
export function renderOutputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (output === undefined) return "";
  return JSON.stringify(output) ?? "";
}

/**
 * Renders a result as the text a vendor without an error flag receives (OpenAI, Mistral). An error
 * reads `Error (<code>): <message>`, so the model can tell a failure from an output.
 */
export function renderResultText(result: ToolResult): string {
  if (!result.ok) return `Error (${result.error.code}): ${result.error.message}`;
  return renderOutputText(result.output);
}
