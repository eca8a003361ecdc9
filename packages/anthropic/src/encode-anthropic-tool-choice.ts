import type { ThinkingConfigParam, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type { BatchWarning, ParallelRequestOptions } from "@toolbatch/core";

/** Options of the Anthropic adapter's `requestOptions`: the switch, and what it must be merged with. */
export interface AnthropicRequestOptions extends ParallelRequestOptions {
  /**
   * The request's own `tool_choice` (`auto`, `any`, `tool` or `none`). The switch lives inside it
   * (`tool_choice.disable_parallel_tool_use`), so the returned `tool_choice` replaces the request's:
   * pass yours here and it is kept, with the flag set from `parallel`. Default: `auto`.
   */
  readonly toolChoice?: ToolChoice | null;
  /**
   * The request's `thinking` config. With thinking on (anything but `{ type: "disabled" }`),
   * Anthropic accepts only `tool_choice` `auto` or `none` and answers 400 to `any` or `tool`
   * (build-with-claude/extended-thinking): such a choice is sent as `auto`, with a warning.
   */
  readonly thinking?: ThinkingConfigParam | null;
}

/**
 * What the Anthropic adapter's `requestOptions` returns: a `tool_choice`, or nothing where no
 * field must be sent. Spread it into `client.messages.create({...})` after your own fields.
 */
export type AnthropicParallelFields = { tool_choice?: ToolChoice };

/**
 * The `tool_choice` that switches parallel calls as asked, merged with the caller's own choice.
 * `parallel: false` sets `disable_parallel_tool_use: true` inside it (at most one call with
 * `auto`, exactly one with `any`/`tool`); `parallel: true` sends the caller's choice without the
 * flag, or nothing when there is none (the API's default is `auto`, parallel). `none` carries no
 * flag: no call comes at all. A request without tools gets no `tool_choice` (the API rejects one).
 */
export function encodeAnthropicToolChoice(
  options: AnthropicRequestOptions,
  warn: (warning: BatchWarning) => void,
): AnthropicParallelFields {
  if (options.toolCount === 0) return {};
  // null and undefined read alike below: no choice of the caller's.
  let choice = options.toolChoice;
  const thinking = options.thinking;
  if (
    (choice?.type === "any" || choice?.type === "tool") &&
    thinking &&
    thinking.type !== "disabled"
  ) {
    warn({
      code: "tool-choice-with-thinking",
      message: `tool_choice "${choice.type}" cannot be combined with thinking (type "${thinking.type}"): Anthropic accepts only "auto" or "none" then and answers 400. tool_choice "auto" was sent instead; to force a tool, disable thinking for this request.`,
    });
    choice = { type: "auto" };
  }
  if (choice?.type === "none") return { tool_choice: { type: "none" } };
  if (!options.parallel) {
    return { tool_choice: { ...(choice ?? { type: "auto" }), disable_parallel_tool_use: true } };
  }
  if (!choice) return {};
  const { disable_parallel_tool_use: _flag, ...rest } = choice;
  return { tool_choice: rest };
}
