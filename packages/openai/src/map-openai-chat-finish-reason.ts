/**
 * Maps `finish_reason` to whether the turn's calls may run: `false` when a call may be cut off,
 * `undefined` when the reason is not one OpenAI documents (some compatible servers invent their
 * own). `length` (the token limit hit, possibly inside a call's arguments) and `content_filter`
 * (output withheld) make the turn incomplete: vercel/ai#19063 ran side-effecting tools on such
 * truncated turns. A missing reason means the stream ended early. `stop` with calls is normal for
 * Ollama and some vLLM versions, which never say `tool_calls`.
 */
export function mapChatFinishReason(reason: string | null | undefined): boolean | undefined {
  switch (reason) {
    case "tool_calls":
    case "function_call":
    case "stop":
      return true;
    case "length":
    case "content_filter":
    case null:
    case undefined:
      return false;
    default:
      return undefined;
  }
}
