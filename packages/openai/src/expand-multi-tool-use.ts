import { parseToolArguments } from "@toolbatch/core";

/** One call wrapped inside a `multi_tool_use.parallel` pseudo-call. */
export interface WrappedCall {
  /** The tool name, without the `functions.` namespace the wrapper puts before it. */
  readonly name: string;
  /** The call's arguments, as an object. */
  readonly input: unknown;
  /** The name exactly as the wrapper wrote it (`functions.get_weather`). */
  readonly recipientName: string;
}

const WRAPPER_NAMES = new Set(["multi_tool_use.parallel", "parallel"]);

/**
 * Reads the calls out of the `multi_tool_use.parallel` pseudo-tool some OpenAI models emit instead
 * of real parallel calls (vercel/ai#2786, #3876): one call whose arguments are
 * `{ tool_uses: [{ recipient_name: "functions.x", parameters: {...} }] }`. Returns `undefined` for
 * any call that is not such a wrapper, so a user's own tool named `parallel` is left alone unless
 * its arguments have exactly this shape.
 */
export function expandMultiToolUse(name: string, rawArguments: unknown): WrappedCall[] | undefined {
  if (!WRAPPER_NAMES.has(name)) return undefined;
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
