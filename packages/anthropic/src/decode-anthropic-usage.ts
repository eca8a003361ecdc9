import type { Message } from "@anthropic-ai/sdk/resources/messages";
import type { TokenUsage } from "@toolbatch/core";

/** A count as a server sent it: kept when it is a number of tokens, dropped otherwise. */
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

/** A message's `usage`, typed loosely: a compatible server may leave any of it out. */
interface WireUsage {
  readonly input_tokens?: unknown;
  readonly output_tokens?: unknown;
  readonly cache_creation_input_tokens?: unknown;
  readonly cache_read_input_tokens?: unknown;
  readonly output_tokens_details?: { readonly thinking_tokens?: unknown } | null;
}

/**
 * A message's `usage` as a `TokenUsage`. Anthropic's `input_tokens` counts only the input after
 * the last cache breakpoint; the cache's reads (`cache_read_input_tokens`) and writes
 * (`cache_creation_input_tokens`) are input too, so `inputTokens` is the sum of the three (as
 * OpenAI's `prompt_tokens` and Gemini's `promptTokenCount` include cached tokens) and
 * `cachedInputTokens` is the reads. Writes are input billed at a premium, not cached input.
 * `reasoningTokens` is `output_tokens_details.thinking_tokens` where sent. Anthropic reports no
 * total. A streamed message has the same usage: the assembler lays `message_delta`'s cumulative
 * counts over `message_start`'s.
 */
export function decodeAnthropicUsage(message: Message): TokenUsage | undefined {
  const usage = message.usage as WireUsage | null | undefined;
  if (typeof usage !== "object" || usage === null) return undefined;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const written = count(usage.cache_creation_input_tokens);
  const read = count(usage.cache_read_input_tokens);
  if (input === undefined && output === undefined) return undefined;
  const thinking = count(usage.output_tokens_details?.thinking_tokens);
  return {
    inputTokens: (input ?? 0) + (written ?? 0) + (read ?? 0),
    outputTokens: output ?? 0,
    ...(read !== undefined ? { cachedInputTokens: read } : {}),
    ...(thinking !== undefined ? { reasoningTokens: thinking } : {}),
  };
}
