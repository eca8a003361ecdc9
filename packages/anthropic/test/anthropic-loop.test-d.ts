import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import { type AnyTool, runToolLoop } from "@toolbatch/core";
import { describe, it } from "vitest";
import { anthropic } from "../src/index.js";

declare const client: Anthropic;
declare const tools: AnyTool[];
declare const request: MessageCreateParams;

// issue 15 item 10: send returned `unknown`, so each of the refused answers below compiled and
// failed at run time as a TypeError inside the adapter.
describe("runToolLoop's send is typed by the anthropic adapter", () => {
  const adapter = anthropic();

  it("takes what messages.create returns, streamed or not, and messages.stream's MessageStream", () => {
    void runToolLoop({ adapter, tools, request, send: (body) => client.messages.create(body) });
    void runToolLoop({
      adapter,
      tools,
      request,
      send: (body, { signal }) => client.messages.create({ ...body, stream: true }, { signal }),
    });
    void runToolLoop({ adapter, tools, request, send: (body) => client.messages.stream(body) });
  });

  it("refuses a number, the .withResponse() wrapper, a content block and another vendor's response", () => {
    const withResponse = (body: MessageCreateParams) =>
      client.messages.create({ ...body, stream: false }).withResponse();
    const firstBlock = async (body: MessageCreateParams) =>
      (await client.messages.create({ ...body, stream: false })).content[0];
    // What Gemini's generateContent answers.
    const gemini = async () => ({ candidates: [{ content: { role: "model", parts: [] } }] });
    // @ts-expect-error 42 is no Message
    void runToolLoop({ adapter, tools, request, send: () => 42 });
    // @ts-expect-error the wrapper holds the message in `data`
    void runToolLoop({ adapter, tools, request, send: withResponse });
    // @ts-expect-error a content block is not the message
    void runToolLoop({ adapter, tools, request, send: firstBlock });
    // @ts-expect-error another vendor's response
    void runToolLoop({ adapter, tools, request, send: gemini });
  });
});
