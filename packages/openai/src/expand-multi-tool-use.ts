import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCall,
  modelOutputOf,
  parseToolArguments,
  renderResultText,
  type ToolCall,
  type ToolResult,
} from "@toolbatch/core";

/** One call wrapped inside a `multi_tool_use.parallel` pseudo-call. */
export interface WrappedCall {
  /** The tool name, without the `functions.` namespace the wrapper puts before it. */
  readonly name: string;
  /** The call's arguments, as an object. */
  readonly input: unknown;
  /** The name exactly as the wrapper wrote it (`functions.get_weather`). */
  readonly recipientName: string;
}

/**
 * Reads the calls out of the `multi_tool_use.parallel` pseudo-tool some OpenAI models emit instead
 * of real parallel calls (vercel/ai#2786, #3876): one call whose arguments are
 * `{ tool_uses: [{ recipient_name: "functions.x", parameters: {...} }] }`. Returns `undefined` for
 * any call that is not such a wrapper, so a user's own tool named `parallel` is left alone unless
 * its arguments have exactly this shape.
 */
export function expandMultiToolUse(name: string, rawArguments: unknown): WrappedCall[] | undefined {
  if (name !== "multi_tool_use.parallel" && name !== "parallel") return undefined;
  const parsed = parseToolArguments(rawArguments);
  if (!parsed.ok) return undefined;
  const uses = (parsed.value as { tool_uses?: unknown } | null)?.tool_uses;
  if (!Array.isArray(uses) || uses.length === 0) return undefined;
  const calls: WrappedCall[] = [];
  for (const use of uses) {
    const recipientName = (use as { recipient_name?: unknown } | null)?.recipient_name;
    if (typeof recipientName !== "string") return undefined;
    calls.push({
      name: recipientName.replace(/^functions\./, ""),
      input: (use as { parameters?: unknown }).parameters ?? {},
      recipientName,
    });
  }
  return calls;
}

/**
 * The one answer a wrapper call gets: each wrapped call's result, in order, as a JSON list
 * (`[{ recipient_name, output }` or `{ recipient_name, error }]`), so the model can tell them apart.
 * An output is what the model reads of it (`modelOutputOf`: the tool's `toModelOutput` mapping).
 */
export function renderWrappedResults(
  wrapped: readonly WrappedCall[],
  results: readonly ToolResult[],
): string {
  return JSON.stringify(
    results.map((result, i) => ({
      recipient_name: wrapped[i]?.recipientName,
      ...(result.ok
        ? { output: modelOutputOf(result) ?? null }
        : { error: renderResultText(result) }),
    })),
  );
}

/**
 * The batch's calls for a wrapper: one per wrapped call, from batch index `index`, each with a
 * synthesized id (the wrapper's own id answers them all together).
 */
export function decodeWrappedCalls(
  wrapper: { readonly id: string | null | undefined; readonly name: string },
  wrapped: readonly WrappedCall[],
  index: number,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): ToolCall[] {
  warnings.push({
    code: "multi-tool-use-expanded",
    message: `Call ${index} was the pseudo-tool "${wrapper.name}" wrapping ${wrapped.length} calls; they run as separate calls and are answered together under its id.`,
    callIndex: index,
  });
  if (wrapper.id) ids.reserve(wrapper.id);
  return wrapped.map((inner, offset) =>
    createToolCall(
      { id: "", name: inner.name, arguments: inner.input, index: index + offset },
      ids,
      warnings,
    ),
  );
}

/**
 * A custom-tool call (free text, not JSON arguments): the text is the input, so the call still
 * gets a result (usually `invalid_input` or `unknown_tool`) and the follow-up stays valid.
 */
export function decodeCustomCall(
  raw: {
    readonly id: string | null | undefined;
    readonly name: string;
    readonly text: string;
    readonly index: number;
  },
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): ToolCall {
  // The text is free-form, not JSON: createToolCall gets nothing to parse.
  const call = createToolCall(
    { id: raw.id, name: raw.name, arguments: undefined, index: raw.index },
    ids,
    warnings,
  );
  return { ...call, input: raw.text, rawInput: raw.text };
}
