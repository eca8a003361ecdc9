import type { TranscriptCodec } from "@toolbatch/core";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import { decodeOpenAIResponsesHistory } from "./decode-openai-responses-history.js";
import { OPENAI_RESPONSES_PROVIDER } from "./decode-openai-responses-response.js";
import { encodeOpenAIResponsesHistory } from "./encode-openai-responses-history.js";

/**
 * The transcript codec of the Responses API: reads an `input` history into a neutral transcript
 * and renders one back, so a conversation can move between vendors with `convertHistory`. Its
 * vendor state is `openai-responses`: reasoning items (with `encrypted_content`), hosted tool
 * items, item references and the fields of custom or namespaced calls, all replayed verbatim to
 * Responses and dropped, with a warning, for any other vendor.
 *
 * Read self-contained histories (`store: false`, or every item kept): a history continued with
 * `previous_response_id` holds only the new items, and the rest of the conversation is on
 * OpenAI's side, where no codec can read it.
 *
 * @example
 * const { messages, warnings } = convertHistory(chatMessages, openaiChatTranscript(), openaiResponsesTranscript());
 * await client.responses.create({ model, input: messages, tools: adapter.tools(tools), store: false });
 */
export const openaiResponsesTranscript = (): TranscriptCodec<ResponseInputItem> => ({
  vendor: OPENAI_RESPONSES_PROVIDER,
  systemPlacement: "history",
  read: (history) => decodeOpenAIResponsesHistory(history),
  render: (transcript) => encodeOpenAIResponsesHistory(transcript),
});
