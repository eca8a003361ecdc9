import type { TokenUsage } from "./token-usage.js";

/**
 * One tool call of a model's turn, in the same shape for every vendor.
 * OpenAI Chat calls it a `tool_call`, Responses a `function_call` item, Anthropic a `tool_use`
 * block, Gemini a `functionCall` part.
 */
export interface ToolCall {
  /**
   * The vendor's call id (`tool_calls[].id`, Responses `call_id`, `tool_use.id`, `functionCall.id`).
   * Where the vendor sent none, a synthesized `[A-Za-z0-9]{9}` id unique in the conversation, and
   * `idSynthesized` is true.
   */
  readonly id: string;
  /** True when `id` was made up by toolbatch because the vendor sent none; it is never sent back. */
  readonly idSynthesized?: boolean;
  /** The tool's name, as the model wrote it (it may name no registered tool). */
  readonly name: string;
  /** The parsed arguments. `""` from the vendor becomes `{}`; unparseable arguments leave `{}` here and say why in `inputError`. */
  readonly input: unknown;
  /** The arguments exactly as sent, where the vendor sends a string (OpenAI, streamed Anthropic). */
  readonly rawInput?: string;
  /** Why the arguments could not be parsed. The call still gets a result (`invalid_input`). */
  readonly inputError?: string;
  /** Position in the batch, 0-based. Results go back in this order. */
  readonly index: number;
}

/** Something an adapter papered over while reading a vendor's turn, kept so nothing is fixed silently. */
export interface BatchWarning {
  /** A stable machine-readable code, e.g. `id-synthesized`, `arguments-double-encoded`. */
  readonly code: string;
  /** What happened, for a person reading logs. */
  readonly message: string;
  /** The call the warning is about, when it is about one. */
  readonly callIndex?: number;
}

/**
 * All tool calls of one assistant turn, in the order the model wrote them, with the turn itself.
 * `Turn` is the vendor's assistant message type; `toFollowUp` echoes it verbatim.
 */
export interface ToolCallBatch<Turn = unknown> {
  /** Which adapter produced the batch: `openai-chat`, `openai-responses`, `anthropic`, `google-genai`, ... */
  readonly provider: string;
  /** The calls, in the order the model wrote them; `calls[i].index === i`. */
  readonly calls: readonly ToolCall[];
  /**
   * False when the turn was cut off (a length limit inside a call, a paused turn, a malformed call).
   * An incomplete batch never runs: every call gets a `not_executed` result.
   */
  readonly complete: boolean;
  /**
   * The vendor's reason the turn ended, as sent: Chat `finish_reason`, Responses `status`,
   * Anthropic `stop_reason`, Gemini `finishReason` (or `promptFeedback.blockReason`). Absent when
   * the vendor never said (a stream cut off before it did).
   */
  readonly stopReason?: string;
  /**
   * The turn's assistant text: every text part of the turn (Chat `content`, Responses
   * `output_text`, Anthropic `text` blocks, Gemini `text` parts), concatenated in order with
   * nothing between them. Reasoning and thinking text is not in it, nor is a refusal. Absent when
   * the turn has no text. The same for a turn streamed or not.
   */
  readonly text?: string | undefined;
  /**
   * The vendor's token counts for this turn, where it sent them (a Chat stream only with
   * `stream_options: { include_usage: true }`). The same for a turn streamed or not.
   */
  readonly usage?: TokenUsage | undefined;
  /**
   * The vendor's id of the response the turn came in, where it sends one: Chat Completions `id`
   * (`chatcmpl-...`), Responses `id` (`resp_...`), Anthropic message `id` (`msg_...`), Gemini
   * `responseId`. For tying an audit record to the vendor's own logs. The same streamed or not.
   */
  readonly responseId?: string | undefined;
  /** The vendor's assistant turn, verbatim: thinking, reasoning items and signatures included. */
  readonly turn: Turn;
  /** Quirks the adapter had to paper over while reading the turn. */
  readonly warnings?: readonly BatchWarning[];
}
