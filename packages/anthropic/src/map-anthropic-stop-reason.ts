/** What an Anthropic `stop_reason` says about the turn's `tool_use` blocks. */
export interface AnthropicTurnEnd {
  /** False when a call may be cut off or the turn is not over, so nothing of the turn may run. */
  readonly complete: boolean;
  /** Set when the reason is not one Anthropic documents (a newer API, a compatible server). */
  readonly unknown?: boolean;
}

/**
 * Maps `stop_reason`, given whether the turn's last block is a `tool_use`.
 * - `tool_use`, `end_turn`, `stop_sequence`: the calls are whole.
 * - `max_tokens`, `model_context_window_exceeded`: the output was cut; a trailing `tool_use` is
 *   cut with it ("retry the request with a higher `max_tokens`", docs: handling-stop-reasons), so
 *   the turn is incomplete. Calls followed by other blocks were finished before the cut.
 * - `pause_turn`: the server-side tool loop paused; the turn is re-sent as is to continue, not run.
 * - `refusal`: a classifier stopped the output; nothing of it runs.
 * - `null`: the stream ended before `message_delta` (or a server sent none).
 */
export function mapAnthropicStopReason(
  reason: string | null | undefined,
  endsWithToolUse: boolean,
): AnthropicTurnEnd {
  switch (reason) {
    case "tool_use":
    case "end_turn":
    case "stop_sequence":
      return { complete: true };
    case "max_tokens":
    case "model_context_window_exceeded":
      return { complete: !endsWithToolUse };
    case "pause_turn":
    case "refusal":
    case null:
    case undefined:
      return { complete: false };
    default:
      return { complete: true, unknown: true };
  }
}
