import {
  type CallIdPolicy,
  convertHistory,
  MISTRAL_CALL_IDS,
  type RenderedHistory,
  type TranscriptCodec,
} from "@toolbatch/core";
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ResponseCreateParams, ResponseInputItem } from "openai/resources/responses/responses";
import { describe, expectTypeOf, it } from "vitest";
import {
  type OpenAIChatTranscriptOptions,
  openaiChatTranscript,
  openaiResponsesTranscript,
} from "../src/index.js";

declare const chatHistory: ChatCompletionMessageParam[];
declare const responsesHistory: ResponseInputItem[];

describe("transcript codecs speak the openai SDK's own history types", () => {
  it("Chat Completions: ChatCompletionMessageParam in and out", () => {
    expectTypeOf(openaiChatTranscript()).toEqualTypeOf<
      TranscriptCodec<ChatCompletionMessageParam>
    >();
    expectTypeOf(openaiChatTranscript({ callIds: MISTRAL_CALL_IDS })).toEqualTypeOf<
      TranscriptCodec<ChatCompletionMessageParam>
    >();
    expectTypeOf<OpenAIChatTranscriptOptions>().toEqualTypeOf<{
      callIds?: CallIdPolicy;
    }>();
    const rendered = openaiChatTranscript().render({ turns: [] });
    expectTypeOf(rendered.messages).toExtend<ChatCompletionCreateParams["messages"]>();
  });

  it("Responses: ResponseInputItem, the type the Responses adapter's history uses", () => {
    expectTypeOf(openaiResponsesTranscript()).toEqualTypeOf<TranscriptCodec<ResponseInputItem>>();
    const rendered = openaiResponsesTranscript().render({ turns: [] });
    expectTypeOf(rendered.messages).toExtend<NonNullable<ResponseCreateParams["input"]>>();
  });

  it("convertHistory infers both sides from the codecs", () => {
    expectTypeOf(
      convertHistory(chatHistory, openaiChatTranscript(), openaiResponsesTranscript()),
    ).toEqualTypeOf<RenderedHistory<ResponseInputItem>>();
    expectTypeOf(
      convertHistory(responsesHistory, openaiResponsesTranscript(), openaiChatTranscript()),
    ).toEqualTypeOf<RenderedHistory<ChatCompletionMessageParam>>();
    // A history of the wrong vendor does not fit the codec reading it.
    // @ts-expect-error Responses items are not Chat messages
    convertHistory(responsesHistory, openaiChatTranscript(), openaiResponsesTranscript());
  });
});
