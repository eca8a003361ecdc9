import { GoogleGenerativeAI } from "@google/generative-ai";
import { anthropic } from "@toolbatch/anthropic";
import {
  loadRecordings,
  scriptedToolModel,
  startVendorServer,
  type ToolModelScript,
  type VendorName,
} from "@toolbatch/contract";
import {
  runToolLoop,
  type ToolLoopError,
  ToolLoopError as ToolLoopErrorClass,
  UnexpectedResponseError,
} from "@toolbatch/core";
import { googleGenAI } from "@toolbatch/google";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { describe, expect, it, onTestFinished } from "vitest";
import { countingTools } from "./support/loop-vendors.js";

// issue 15 item 10: what send returns is checked at run time too. Each answer below is refused
// by the compiler (see the packages' *-loop.test-d.ts); here the types are forced, as untyped
// JavaScript or a cast would, and the loop must fail with a clear error, not a TypeError inside
// the adapter (or, for Gemini, a quiet `incomplete`).

const script: ToolModelScript = {
  calls: [{ name: "lookup", arguments: { city: "Paris" } }],
  answer: () => "Done.",
};

async function server(vendor: VendorName) {
  const started = await startVendorServer({ vendor, replies: scriptedToolModel(script) });
  onTestFinished(() => started.close());
  return started;
}

async function refused(run: Promise<unknown>): Promise<UnexpectedResponseError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(ToolLoopErrorClass.isInstance(error), `rejects with ToolLoopError: ${error}`).toBe(true);
  const { cause, result } = error as ToolLoopError;
  expect(UnexpectedResponseError.isInstance(cause), `caused by: ${cause}`).toBe(true);
  expect(result.steps).toStrictEqual([]);
  return cause as UnexpectedResponseError;
}

const chatRequest = { model: "scripted", messages: [{ role: "user" as const, content: "go" }] };

describe("runToolLoop refuses what its adapter does not read", () => {
  it.each([
    ["a number", () => 42, "42"],
    ["the message taken out of the completion", "message", "an object with keys role, content"],
    [".withResponse()'s wrapper", "withResponse", "an object with keys data, response, request_id"],
  ] as const)("openaiChat: %s", async (_what, answer, described) => {
    const started = await server("openai");
    const client = new OpenAI({ apiKey: "test", baseURL: started.url, maxRetries: 0 });
    const { executions, tools } = countingTools();
    const error = await refused(
      runToolLoop({
        adapter: openaiChat(),
        tools,
        request: chatRequest,
        send: (async (request: typeof chatRequest) => {
          if (typeof answer === "function") return answer();
          const sent = client.chat.completions.create({ ...request, stream: false });
          if (answer === "withResponse") return sent.withResponse();
          return (await sent).choices[0]?.message;
        }) as never,
      }),
    );
    expect(error.provider).toBe("openai-chat");
    expect(error.message).toContain(
      "it reads a ChatCompletion, or a stream of ChatCompletionChunk",
    );
    expect(error.message).toContain(`send returned ${described}`);
    expect(executions).toStrictEqual([]);
  });

  it("openaiChat: the Responses API's stream, refused at its first event", async () => {
    const started = await server("openai");
    const client = new OpenAI({ apiKey: "test", baseURL: started.url, maxRetries: 0 });
    const { executions, tools } = countingTools();
    const error = await refused(
      runToolLoop({
        adapter: openaiChat(),
        tools,
        request: chatRequest,
        send: (() =>
          client.responses.create({ model: "scripted", input: "go", stream: true })) as never,
      }),
    );
    expect(error.message).toContain('an object of type "response.created"');
    expect(error.expected).toBe("ChatCompletionChunk events");
    expect(executions).toStrictEqual([]);
  });

  it("anthropic: another vendor's response", async () => {
    const [completion] = loadRecordings("openai-chat").filter((r) => r.kind === "json");
    const { tools } = countingTools();
    const error = await refused(
      runToolLoop({
        adapter: anthropic(),
        tools,
        request: { model: "m", max_tokens: 64, messages: [{ role: "user", content: "go" }] },
        send: (async () => completion?.response) as never,
      }),
    );
    expect(error.message).toContain("it reads a Message, or a stream of MessageStreamEvent");
  });

  it("googleGenAI: the legacy SDK's generateContent result, which wraps the response", async () => {
    // Gemini read it as a turn with no candidate and ended `incomplete`.
    const started = await server("google");
    const model = new GoogleGenerativeAI("test").getGenerativeModel(
      { model: "scripted" },
      { baseUrl: started.url },
    );
    const { tools } = countingTools();
    const error = await refused(
      runToolLoop({
        adapter: googleGenAI(),
        tools,
        request: { model: "scripted", contents: "go" },
        send: (() =>
          model.generateContent({
            contents: [{ role: "user", parts: [{ text: "go" }] }],
          })) as never,
      }),
    );
    expect(error.message).toContain("an object with keys response");
    expect(error.received).toHaveProperty("response");
  });
});
