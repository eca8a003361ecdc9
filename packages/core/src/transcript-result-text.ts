import { renderOutputText } from "./render-result-text.js";
import type { TranscriptResult } from "./transcript.js";

// toolbatch's own error text (`renderResultText`) and the plain form: `Error (<code>): ...`, `Error: ...`.
const ERROR_TEXT = /^Error(?: \([a-z_]+\))?: /;

/**
 * A result read from a vendor without an error flag (OpenAI Chat and Responses): the text, and
 * whether it reads as toolbatch's error text, so the flag survives a trip through such a vendor.
 */
export function readResultText(text: string): { isError: boolean; output: string } {
  return { isError: ERROR_TEXT.test(text), output: text };
}

/**
 * A result as text, for vendors without an error flag: strings as they are, other values as
 * JSON, and an error that does not already say so prefixed with `Error: `.
 */
export function renderTranscriptResultText(result: TranscriptResult): string {
  const text = renderOutputText(result.output);
  return result.isError && !ERROR_TEXT.test(text) ? `Error: ${text}` : text;
}
