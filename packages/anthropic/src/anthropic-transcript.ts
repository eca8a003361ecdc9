import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import type { TranscriptCodec } from "@toolbatch/core";
import { decodeAnthropicHistory } from "./decode-anthropic-history.js";
import { encodeAnthropicHistory } from "./encode-anthropic-history.js";

/** Options of {@link anthropicTranscript}. */
export interface AnthropicTranscriptOptions {
  /**
   * Whose state the codec keeps (`VendorState.vendor`): thinking blocks with their signatures,
   * redacted thinking, server-tool blocks. Default `anthropic`. Give an Anthropic-compatible
   * server its own name (`deepseek`, ...): its signatures are its own, and a codec of another name
   * drops them with a warning instead of sending them where they cannot be verified.
   */
  vendor?: string;
}

/**
 * The transcript codec of the Anthropic Messages API: reads a request's `messages` into a
 * neutral transcript and renders one back as `messages` plus `system`, so a conversation started
 * on another vendor continues on Claude (and back) with the same tools.
 *
 * @example
 * const { messages, system, warnings } = convertHistory(openaiMessages, openaiChatTranscript(), anthropicTranscript());
 * await client.messages.create({ model, max_tokens: 1024, system, messages, tools: adapter.tools(tools) });
 */
export const anthropicTranscript = (
  options: AnthropicTranscriptOptions = {},
): TranscriptCodec<MessageParam> => {
  const vendor = options.vendor ?? "anthropic";
  return {
    vendor,
    // The request's `system` field: pass it to convertHistory, which returns it as `system`.
    systemPlacement: "request",
    read: (history) => decodeAnthropicHistory(history, vendor),
    render: (transcript) => encodeAnthropicHistory(transcript, vendor),
  };
};
