import { renderOutputText } from "../adapter-kit/render-result-text.js";
import type { TranscriptResult } from "./transcript.js";

// toolbatch's own error text (`renderResultText`) and the plain form: `Error (<code>): ...`, `Error: ...`.
const ERROR_TEXT = /^Error(?: \([a-z_]+\))?: /;

/**
 * A result read from a vendor without an error flag (OpenAI Chat and Responses): the output (see
 * {@link readOutputText}), and whether the text reads as toolbatch's error text, so the flag
 * survives a trip through such a vendor.
 */
export function readResultText(text: string): { isError: boolean; output: unknown } {
  const isError = ERROR_TEXT.test(text);
  return { isError, output: isError ? text : readOutputText(text) };
}

/**
 * A result's text as an output: the JSON object or array it spells when it is exactly what
 * `JSON.stringify` writes for that value (so rendering it as text gives the same text back, byte
 * for byte), else the text. A tool's `{ city: "Paris" }` that crossed a text-only vendor thus
 * reaches Gemini as an object again, not as a string of JSON.
 */
export function readOutputText(text: string): unknown {
  const first = text.charCodeAt(0);
  // Only `{` or `[` can start an object or array; anything else stays text, cheaply.
  if (first !== 0x7b && first !== 0x5b) return text;
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? value : text;
  } catch {
    return text;
  }
}

/**
 * A result as text, for vendors without an error flag: strings as they are, other values as
 * JSON, and an error that does not already say so prefixed with `Error: `.
 */
export function renderTranscriptResultText(result: TranscriptResult): string {
  const text = renderOutputText(result.output);
  return result.isError && !ERROR_TEXT.test(text) ? `Error: ${text}` : text;
}
