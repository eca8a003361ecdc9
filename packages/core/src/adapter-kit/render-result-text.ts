import type { ToolResult, ToolSuccess } from "../batch/tool-result.js";

/**
 * What the model reads of a success: the tool's `toModelOutput` mapping (`modelOutput`) when it
 * has one, its `output` otherwise. Adapters send this, never `output` itself, so that the
 * application's mapping reaches every vendor while `results` keep what the tool returned.
 */
export function modelOutputOf(result: ToolSuccess): unknown {
  return result.modelOutput !== undefined ? result.modelOutput : result.output;
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
 * Renders a result as the text a vendor without an error flag receives (OpenAI, Mistral): a
 * success's model output (see {@link modelOutputOf}), or, for an error, `Error (<code>):
 * <message>`, so the model can tell a failure from an output.
 */
export function renderResultText(result: ToolResult): string {
  if (!result.ok) return `Error (${result.error.code}): ${result.error.message}`;
  return renderOutputText(modelOutputOf(result));
}
