import type { TokenUsage } from "@toolbatch/core";

/** A count as a server sent it: kept when it is a number of tokens, dropped otherwise. */
const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

/** `usage` as Chat Completions and compatible servers send it, typed loosely. */
export interface WireChatUsage {
  readonly prompt_tokens?: unknown;
  readonly completion_tokens?: unknown;
  readonly total_tokens?: unknown;
  readonly prompt_tokens_details?: { readonly cached_tokens?: unknown } | null;
  readonly completion_tokens_details?: { readonly reasoning_tokens?: unknown } | null;
}

/** `usage` as the Responses API sends it, typed loosely. */
export interface WireResponsesUsage {
  readonly input_tokens?: unknown;
  readonly output_tokens?: unknown;
  readonly total_tokens?: unknown;
  readonly input_tokens_details?: { readonly cached_tokens?: unknown } | null;
  readonly output_tokens_details?: { readonly reasoning_tokens?: unknown } | null;
}

/** The counts both OpenAI APIs send, under their names, as a `TokenUsage`. */
function toTokenUsage(
  input: unknown,
  output: unknown,
  cached: unknown,
  reasoning: unknown,
  total: unknown,
): TokenUsage | undefined {
  const [inputTokens, outputTokens] = [count(input), count(output)];
  // A usage without either count (`usage: {}` from a compatible server) says nothing.
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const optional = {
    cachedInputTokens: count(cached),
    reasoningTokens: count(reasoning),
    totalTokens: count(total),
  };
  return {
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/**
 * Chat Completions `usage`: `prompt_tokens` (cached ones included), `completion_tokens`
 * (reasoning included), `prompt_tokens_details.cached_tokens`,
 * `completion_tokens_details.reasoning_tokens`, `total_tokens`. `null` (every chunk of a stream
 * but the usage one) is no usage.
 */
export function decodeChatUsage(usage: WireChatUsage | null | undefined): TokenUsage | undefined {
  if (typeof usage !== "object" || usage === null) return undefined;
  return toTokenUsage(
    usage.prompt_tokens,
    usage.completion_tokens,
    usage.prompt_tokens_details?.cached_tokens,
    usage.completion_tokens_details?.reasoning_tokens,
    usage.total_tokens,
  );
}

/**
 * Responses `usage`: `input_tokens` (cached ones included), `output_tokens` (reasoning included),
 * `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`, `total_tokens`.
 */
export function decodeResponsesUsage(
  usage: WireResponsesUsage | null | undefined,
): TokenUsage | undefined {
  if (typeof usage !== "object" || usage === null) return undefined;
  return toTokenUsage(
    usage.input_tokens,
    usage.output_tokens,
    usage.input_tokens_details?.cached_tokens,
    usage.output_tokens_details?.reasoning_tokens,
    usage.total_tokens,
  );
}
