/**
 * The tokens one turn (or, summed, a whole loop) used, read from the vendor's answer in the same
 * shape for every vendor. Each adapter's README says which vendor fields each count comes from;
 * a count the vendor does not report is absent, never guessed.
 */
export interface TokenUsage {
  /**
   * Every input token the request was billed for, cached ones included (Chat `prompt_tokens`,
   * Responses `input_tokens`, Anthropic `input_tokens` plus both cache counts, Gemini
   * `promptTokenCount`).
   */
  readonly inputTokens: number;
  /**
   * Every output token, reasoning included (Chat `completion_tokens`, Responses `output_tokens`,
   * Anthropic `output_tokens`, Gemini `candidatesTokenCount` plus `thoughtsTokenCount`).
   */
  readonly outputTokens: number;
  /** The input tokens read from the vendor's prompt cache, a part of `inputTokens`. */
  readonly cachedInputTokens?: number | undefined;
  /** The output tokens spent on reasoning or thinking, a part of `outputTokens`. */
  readonly reasoningTokens?: number | undefined;
  /** The total the vendor reports (Chat, Responses, Gemini), where it reports one. */
  readonly totalTokens?: number | undefined;
}

const OPTIONAL_COUNTS = ["cachedInputTokens", "reasoningTokens", "totalTokens"] as const;

/**
 * The sum of two usages, for the tokens of several turns: input and output are added; an optional
 * count is added where either side has it (a side without it counts 0 there), and left out where
 * neither has it. `undefined` is no usage: the other side is returned as it is, and two
 * `undefined`s give `undefined`.
 */
export function addTokenUsage(
  a: TokenUsage | undefined,
  b: TokenUsage | undefined,
): TokenUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  for (const count of OPTIONAL_COUNTS) {
    const [left, right] = [a[count], b[count]];
    if (left !== undefined || right !== undefined) sum[count] = (left ?? 0) + (right ?? 0);
  }
  return sum;
}
