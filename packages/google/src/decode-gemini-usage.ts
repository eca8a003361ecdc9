import type { TokenUsage } from "@toolbatch/core";
import type { WirePart } from "./decode-gemini-part.js";

/** A response's `usageMetadata`, typed loosely: only the counts the adapter reads. */
export interface WireUsageMetadata {
  /** The prompt, cached content included. */
  readonly promptTokenCount?: unknown;
  /** The answer, thoughts not included. */
  readonly candidatesTokenCount?: unknown;
  /** The part of the prompt read from cached content. */
  readonly cachedContentTokenCount?: unknown;
  /** The thoughts of a thinking model. */
  readonly thoughtsTokenCount?: unknown;
  /** The prompts of server-side tools (search, code execution). */
  readonly toolUsePromptTokenCount?: unknown;
  /** Everything above. */
  readonly totalTokenCount?: unknown;
}

/** A count as a server sent it: kept when it is a number of tokens, dropped otherwise. */
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * `usageMetadata` as a `TokenUsage`. Gemini counts thoughts apart from the answer
 * (`totalTokenCount` = prompt + tool-use prompt + candidates + thoughts), where OpenAI counts
 * reasoning inside the output: `outputTokens` is `candidatesTokenCount + thoughtsTokenCount`, and
 * `reasoningTokens` the thoughts; `inputTokens` is `promptTokenCount` (cached content included)
 * plus `toolUsePromptTokenCount`. A metadata without prompt or answer counts (Vertex sends
 * `{ trafficType }` alone on most chunks of a stream) is no usage.
 */
export function decodeGeminiUsage(
  metadata: WireUsageMetadata | null | undefined,
): TokenUsage | undefined {
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const prompt = count(metadata.promptTokenCount);
  const answer = count(metadata.candidatesTokenCount);
  const thoughts = count(metadata.thoughtsTokenCount);
  if (prompt === undefined && answer === undefined && thoughts === undefined) return undefined;
  const cached = count(metadata.cachedContentTokenCount);
  const total = count(metadata.totalTokenCount);
  return {
    inputTokens: (prompt ?? 0) + (count(metadata.toolUsePromptTokenCount) ?? 0),
    outputTokens: (answer ?? 0) + (thoughts ?? 0),
    ...(cached !== undefined ? { cachedInputTokens: cached } : {}),
    ...(thoughts !== undefined ? { reasoningTokens: thoughts } : {}),
    ...(total !== undefined ? { totalTokens: total } : {}),
  };
}

/**
 * The answer text of these parts, joined in order: every `text` but thought summaries
 * (`thought: true`), whether or not it carries a `thoughtSignature`.
 */
export function readGeminiText(parts: readonly WirePart[]): string {
  let text = "";
  for (const part of parts) {
    if (typeof part.text === "string" && part.thought !== true) text += part.text;
  }
  return text;
}
