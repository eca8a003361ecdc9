import type { ToolCallBatch, ToolResult } from "@toolbatch/core";
import type OpenAI from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { describe, expectTypeOf, it } from "vitest";
import { type OpenAIResponsesTurn, openaiChat, openaiResponses } from "../src/index.js";

declare const client: OpenAI;
declare const results: ToolResult[];

describe("openaiChat types are the openai SDK's own", () => {
  const adapter = openaiChat();

  it("reads ChatCompletion and ChatCompletionChunk", () => {
    expectTypeOf(adapter.toBatch).parameter(0).toEqualTypeOf<ChatCompletion>();
    expectTypeOf(adapter.createStreamAssembler().push)
      .parameter(0)
      .toEqualTypeOf<ChatCompletionChunk>();
    expectTypeOf(adapter.toBatch({} as ChatCompletion)).toEqualTypeOf<
      ToolCallBatch<ChatCompletionMessage>
    >();
  });

  it("writes messages, tools and fields that fit a create() call without breaking its overloads", async () => {
    const messages: ChatCompletionMessageParam[] = [];
    const batch = adapter.toBatch({} as ChatCompletion);
    messages.push(...adapter.toFollowUp(batch, results));
    expectTypeOf(adapter.tools([])).toExtend<NonNullable<ChatCompletionCreateParams["tools"]>>();
    const completion = await client.chat.completions.create({
      model: "m",
      messages,
      tools: adapter.tools([]),
      ...adapter.requestOptions({ parallel: false }),
    });
    // Spreading requestOptions keeps the non-streaming overload: the result is a ChatCompletion.
    expectTypeOf(completion).toExtend<ChatCompletion>();
    expectTypeOf(adapter.requestOptions({ parallel: true })).toExtend<
      Partial<ChatCompletionCreateParamsNonStreaming>
    >();
  });
});

describe("openaiResponses types are the openai SDK's own", () => {
  const adapter = openaiResponses();

  it("reads Response and ResponseStreamEvent, and keeps every output item", () => {
    expectTypeOf(adapter.toBatch).parameter(0).toEqualTypeOf<Response>();
    expectTypeOf(adapter.createStreamAssembler().push)
      .parameter(0)
      .toEqualTypeOf<ResponseStreamEvent>();
    expectTypeOf(adapter.toBatch({} as Response).turn).toEqualTypeOf<OpenAIResponsesTurn>();
    expectTypeOf<OpenAIResponsesTurn["output"]>().toEqualTypeOf<
      readonly Response["output"][number][]
    >();
  });

  it("writes input items that fit a create() call", async () => {
    const input: ResponseInputItem[] = [];
    input.push(...adapter.toFollowUp(adapter.toBatch({} as Response), results));
    const response = await client.responses.create({
      model: "m",
      input,
      tools: adapter.tools([]),
      ...adapter.requestOptions({ parallel: true }),
    } satisfies ResponseCreateParamsNonStreaming);
    expectTypeOf(response).toExtend<Response>();
  });
});
