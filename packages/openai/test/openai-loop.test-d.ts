import { type AnyTool, runToolLoop } from "@toolbatch/core";
import type OpenAI from "openai";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { ResponseCreateParams } from "openai/resources/responses/responses";
import { describe, expectTypeOf, it } from "vitest";
import { type OpenAIChatRequest, openaiChat, openaiResponses } from "../src/index.js";

declare const client: OpenAI;
declare const tools: AnyTool[];
declare const chatRequest: ChatCompletionCreateParams;
declare const responsesRequest: ResponseCreateParams;

// issue 15 item 10: send returned `unknown`, so each of the refused answers below compiled and
// failed at run time as a TypeError inside the adapter.
describe("runToolLoop's send is typed by the openaiChat adapter", () => {
  const adapter = openaiChat();

  it("takes what client.chat.completions.create returns, streamed or not", () => {
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      send: (request) => client.chat.completions.create(request),
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      send: (request, { signal }) =>
        client.chat.completions.create({ ...request, stream: true }, { signal }),
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      send: (request) => client.chat.completions.create({ ...request, stream: false }),
    });
  });

  it("refuses a number, the .withResponse() wrapper, the message, and the Responses API", () => {
    const withResponse = (request: ChatCompletionCreateParams) =>
      client.chat.completions.create({ ...request, stream: false }).withResponse();
    const messageOnly = async (request: ChatCompletionCreateParams) =>
      (await client.chat.completions.create({ ...request, stream: false })).choices[0]?.message;
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      // @ts-expect-error 42 is no ChatCompletion
      send: () => 42,
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      // @ts-expect-error the wrapper holds the completion in `data`
      send: withResponse,
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      // @ts-expect-error a message is not the completion
      send: messageOnly,
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      // @ts-expect-error another API's response
      send: () => client.responses.create({ model: "m", input: "hi" }),
    });
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      // @ts-expect-error another API's stream
      send: () => client.responses.create({ model: "m", input: "hi", stream: true }),
    });
  });

  it("takes client.chat.completions.stream as send (issue 18: was TS2379)", () => {
    void runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      send: (request) => client.chat.completions.stream(request),
    });
    void runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send: (request, { signal }) =>
        client.chat.completions.create({ ...request, stream: true }, { signal }),
    });
  });

  it("returns the adapter's types", async () => {
    const result = await runToolLoop({
      adapter,
      tools,
      request: chatRequest,
      send: (request) => client.chat.completions.create(request),
    });
    expectTypeOf(result.request).toEqualTypeOf<OpenAIChatRequest>();
    if (result.stopReason === "done") {
      expectTypeOf(result.finalTurn).toEqualTypeOf<OpenAI.Chat.ChatCompletionMessage>();
    } else if (result.stopReason === "aborted") {
      expectTypeOf(result.finalTurn).toEqualTypeOf<OpenAI.Chat.ChatCompletionMessage | undefined>();
    }
  });
});

describe("runToolLoop's send is typed by the openaiResponses adapter", () => {
  const adapter = openaiResponses();

  it("takes what client.responses.create returns, streamed or not", () => {
    void runToolLoop({
      adapter,
      tools,
      request: responsesRequest,
      send: (request) => client.responses.create(request),
    });
    void runToolLoop({
      adapter,
      tools,
      request: responsesRequest,
      send: (request) => client.responses.create({ ...request, stream: true }),
    });
  });

  it("refuses Chat Completions and the .withResponse() wrapper", () => {
    void runToolLoop({
      adapter,
      tools,
      request: responsesRequest,
      // @ts-expect-error another API's response
      send: () => client.chat.completions.create({ model: "m", messages: [] }),
    });
    void runToolLoop({
      adapter,
      tools,
      request: responsesRequest,
      // @ts-expect-error the wrapper holds the response in `data`
      send: (request) => client.responses.create({ ...request, stream: false }).withResponse(),
    });
  });
});
