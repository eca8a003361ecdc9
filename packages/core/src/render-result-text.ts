import type { ToolResult } from "./tool-result.js";

// Outputs the executor already serialized, so adapters do not stringify them a second time.
const outputTexts = new WeakMap<ToolResult, string>();

/** Remembers the JSON text of a successful result's output (the executor calls it). */
export function rememberOutputText(result: ToolResult, text: string): void {
  outputTexts.set(result, text);
}

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
  return outputTexts.get(result) ?? renderOutputText(result.output);
}
