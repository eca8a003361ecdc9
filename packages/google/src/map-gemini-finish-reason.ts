/** What a Gemini `finishReason` says about the turn's calls. */
export interface GeminiTurnEnd {
  /** False when the calls may not run: the turn failed, was cut or was withheld. */
  readonly complete: boolean;
  /** True when the turn failed at the tool call itself; `finishMessage` then says why. */
  readonly failedCall?: boolean;
  /** Set when the reason is not one the SDKs list (Google adds reasons over time). */
  readonly unknown?: boolean;
}

// The reasons a turn ends without usable calls, from FinishReason in @google/genai 2.32 and 3.1.
const TOOL_FAILURES = new Set([
  "MALFORMED_FUNCTION_CALL",
  "UNEXPECTED_TOOL_CALL",
  "TOO_MANY_TOOL_CALLS",
]);
const CUT_OR_WITHHELD = new Set([
  "FINISH_REASON_UNSPECIFIED",
  "MAX_TOKENS",
  "CONTINUATION",
  "SAFETY",
  "RECITATION",
  "LANGUAGE",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "OTHER",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
  "IMAGE_OTHER",
  "NO_IMAGE",
  // Listed from @google/genai 3 on, "the response was malformed": no call that arrived is trusted.
  "MALFORMED_RESPONSE",
]);

/**
 * Maps `finishReason`. Gemini has no "tool" reason: a turn with calls ends `STOP`, the only reason
 * whose calls run.
 * - `MALFORMED_FUNCTION_CALL`, `UNEXPECTED_TOOL_CALL`, `TOO_MANY_TOOL_CALLS`: the call itself
 *   failed (Gemini usually sends no part then, and says why in `finishMessage`).
 * - `MAX_TOKENS` (and `CONTINUATION`): incomplete, always. Gemini sends each call whole, so the
 *   calls that arrived parse, but the batch may lack calls the model meant to make, and a Vertex
 *   streamed call (`partialArgs`) may be cut inside its arguments; running part of a batch of
 *   side-effecting tools is the bug of vercel/ai#19063.
 * - safety, recitation, blocklist and the like: output withheld, as OpenAI's `content_filter`.
 * - `MALFORMED_RESPONSE` (listed from @google/genai 3 on, read the same under 2.x): broken output.
 * - no reason at all: the stream ended early.
 * An incomplete batch still gets a follow-up: every call is answered `not_executed`.
 */
export function mapGeminiFinishReason(reason: string | undefined): GeminiTurnEnd {
  if (reason === "STOP") return { complete: true };
  if (reason === undefined || reason === "") return { complete: false };
  if (TOOL_FAILURES.has(reason)) return { complete: false, failedCall: true };
  if (CUT_OR_WITHHELD.has(reason)) return { complete: false };
  return { complete: true, unknown: true };
}
