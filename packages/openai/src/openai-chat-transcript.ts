import { type CallIdPolicy, OPENAI_CALL_IDS, type TranscriptCodec } from "@toolbatch/core";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { decodeOpenAIChatHistory } from "./decode-openai-chat-history.js";
import { OPENAI_CHAT_PROVIDER } from "./decode-openai-chat-response.js";
import { encodeOpenAIChatHistory } from "./encode-openai-chat-history.js";

/** Options of {@link openaiChatTranscript}. */
export interface OpenAIChatTranscriptOptions {
  /**
   * The call ids the server accepts; rendered histories replace every other id (see
   * `RenderedHistory.idMap`). Default `OPENAI_CALL_IDS`: OpenAI rejects ids over 40 characters.
   * Pass `MISTRAL_CALL_IDS` for Mistral's OpenAI-compatible API, which accepts only exactly 9
   * letters or digits ("Tool call id was call_0fypS1hVX but must be a-z, A-Z, 0-9, with a length
   * of 9", langchain#24668).
   */
  callIds?: CallIdPolicy;
}

/**
 * The transcript codec of Chat Completions (and OpenAI-compatible servers): reads a `messages`
 * history into a neutral transcript and renders one back, so a conversation can move between
 * vendors with `convertHistory`. Its vendor state is `openai-chat`: DeepSeek-style
 * `reasoning_content` and the marks of `custom` tool calls.
 *
 * @example
 * const { messages, warnings } = convertHistory(anthropicMessages, anthropicTranscript(), openaiChatTranscript());
 * await client.chat.completions.create({ model, messages, tools: adapter.tools(tools) });
 */
export const openaiChatTranscript = (
  options: OpenAIChatTranscriptOptions = {},
): TranscriptCodec<ChatCompletionMessageParam> => {
  const callIds = options.callIds ?? OPENAI_CALL_IDS;
  return {
    vendor: OPENAI_CHAT_PROVIDER,
    systemPlacement: "history",
    read: (history) => decodeOpenAIChatHistory(history),
    render: (transcript) => encodeOpenAIChatHistory(transcript, callIds),
  };
};
