import type Anthropic from "@anthropic-ai/sdk";
import type {
  Message,
  MessageCreateParams,
  MessageCreateParamsNonStreaming,
  MessageParam,
  MessageStreamEvent,
  RawMessageStreamEvent,
  ThinkingConfigParam,
  Tool,
  ToolChoice,
  ToolUnion,
} from "@anthropic-ai/sdk/resources/messages";
import type { Stream } from "@anthropic-ai/sdk/streaming";
import type {
  ParallelRequestOptions,
  ProviderAdapter,
  ToolCallBatch,
  ToolResult,
} from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AnthropicAdapter,
  type AnthropicParallelFields,
  type AnthropicRequestOptions,
  anthropic,
} from "../src/index.js";

declare const client: Anthropic;
declare const results: ToolResult[];

describe("anthropic() types are the @anthropic-ai/sdk SDK's own", () => {
  const adapter = anthropic();

  it("is a ProviderAdapter of Message, MessageStreamEvent, MessageCreateParams and MessageParam", () => {
    expectTypeOf(adapter).toExtend<
      ProviderAdapter<
        Message,
        MessageStreamEvent,
        MessageCreateParams,
        MessageParam,
        Tool[],
        Message,
        AnthropicParallelFields
      >
    >();
    expectTypeOf<AnthropicAdapter>().toEqualTypeOf<ReturnType<typeof anthropic>>();
  });

  it("reads Message and MessageStreamEvent, and keeps the Message as the turn", () => {
    expectTypeOf(adapter.toBatch).parameter(0).toEqualTypeOf<Message>();
    expectTypeOf(adapter.createStreamAssembler().push)
      .parameter(0)
      .toEqualTypeOf<MessageStreamEvent>();
    expectTypeOf(adapter.toBatch({} as Message)).toEqualTypeOf<ToolCallBatch<Message>>();
    expectTypeOf(adapter.createStreamAssembler().finish()).toEqualTypeOf<ToolCallBatch<Message>>();
  });

  it("writes a follow-up that is MessageParam[] and tools that fit the request", () => {
    const followUp = adapter.toFollowUp(adapter.toBatch({} as Message), results);
    expectTypeOf(followUp).toEqualTypeOf<MessageParam[]>();
    expectTypeOf(followUp).toExtend<MessageParam[]>();
    expectTypeOf(adapter.tools([])).toEqualTypeOf<Tool[]>();
    expectTypeOf(adapter.tools([])).toExtend<ToolUnion[]>();
  });

  it("takes the core options plus the request's tool_choice and thinking", () => {
    expectTypeOf<ParallelRequestOptions>().toExtend<AnthropicRequestOptions>();
    expectTypeOf<AnthropicRequestOptions["toolChoice"]>().toEqualTypeOf<
      ToolChoice | null | undefined
    >();
    expectTypeOf<AnthropicRequestOptions["thinking"]>().toEqualTypeOf<
      ThinkingConfigParam | null | undefined
    >();
    expectTypeOf(adapter.requestOptions({ parallel: false })).toEqualTypeOf<{
      tool_choice?: ToolChoice;
    }>();
  });

  it("keeps the SDK's overloads when spread into messages.create", async () => {
    const messages: MessageParam[] = [];
    const message = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 1024,
      messages,
      tools: adapter.tools([]),
      ...adapter.requestOptions({ parallel: false, toolChoice: { type: "any" } }),
    });
    // Non-streaming overload: a Message, not a stream.
    expectTypeOf(message).toExtend<Message>();
    expectTypeOf(message).not.toExtend<Stream<RawMessageStreamEvent>>();
    messages.push(...adapter.toFollowUp(adapter.toBatch(message), results));

    const stream = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 1024,
      messages,
      stream: true,
      ...adapter.requestOptions({ parallel: true }),
    });
    expectTypeOf(stream).toExtend<Stream<RawMessageStreamEvent>>();
    expectTypeOf(stream).not.toExtend<Message>();
    expectTypeOf(adapter.requestOptions({ parallel: true })).toExtend<
      Partial<MessageCreateParamsNonStreaming>
    >();
  });
});
