/** What a Chat Completions `finish_reason` says about the turn's tool calls. */
export interface ChatTurnEnd {
  /** False when a call may be cut off, so nothing of the turn may run. */
  readonly complete: boolean;
  /** Set when the reason is not one OpenAI documents (some compatible servers invent their own). */
  readonly unknown?: boolean;
}

/**
 * Maps `finish_reason`. `length` (the token limit hit, possibly inside a call's arguments) and
 * `content_filter` (output withheld) make the turn incomplete: vercel/ai#19063 ran side-effecting
 * tools on such truncated turns. A missing reason means the stream ended early. `stop` with calls
 * is normal for Ollama and some vLLM versions, which never say `tool_calls`.
 */
export function mapChatFinishReason(reason: string | null | undefined): ChatTurnEnd {
  switch (reason) {
    case "tool_calls":
    case "function_call":
    case "stop":
      return { complete: true };
    case "length":
    case "content_filter":
    case null:
    case undefined:
      return { complete: false };
    default:
      return { complete: true, unknown: true };
  }
}
