import {
  jsonReply,
  loadSpecValidator,
  type RecordedRequest,
  type ServerReply,
  sseReply,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";
import { defineTool, type ExecutionEvent, runToolLoop } from "@toolbatch/core";
import OpenAI from "openai";
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ResponseCreateParams } from "openai/resources/responses/responses";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openaiChat, openaiResponses } from "../src/index.js";

const cities = ["Paris", "Tokyo", "Lima", "Oslo"];
const lookups = cities.map((city, i) => ({
  id: `call_${i}`,
  type: "function",
  function: { name: "get_weather", arguments: JSON.stringify({ city }) },
}));
const completion = (message: Record<string, unknown>, finish: string) => ({
  id: "chatcmpl-loop",
  object: "chat.completion",
  created: 0,
  model: "scripted",
  choices: [
    {
      index: 0,
      finish_reason: finish,
      logprobs: null,
      message: { role: "assistant", content: null, refusal: null, ...message },
    },
  ],
});
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  data: {
    id: "c",
    object: "chat.completion.chunk",
    created: 0,
    model: "scripted",
    choices: [{ index: 0, delta, finish_reason: finish }],
  },
});

/** A scripted model: four lookups first, then an answer from the tool messages it got back. */
function scriptedChat(stream: boolean) {
  return (request: RecordedRequest): ServerReply => {
    const body = request.body as ChatCompletionCreateParams;
    const last = body.messages.at(-1) as ChatCompletionMessageParam;
    if (last.role !== "tool") {
      if (!stream) return jsonReply(completion({ tool_calls: lookups }, "tool_calls"));
      return sseReply(
        [
          chunk({ role: "assistant" }),
          ...lookups.map((call, index) => chunk({ tool_calls: [{ index, ...call }] })),
          chunk({}, "tool_calls"),
        ],
        { gapMs: 5 },
      );
    }
    const answers = body.messages
      .filter((m) => m.role === "tool")
      .map((m) => m.content)
      .join(" | ");
    if (!stream) return jsonReply(completion({ content: `Answer from: ${answers}` }, "stop"));
    return sseReply([
      chunk({ role: "assistant", content: `Answer from: ${answers}` }),
      chunk({}, "stop"),
    ]);
  };
}

const weather = defineTool({
  name: "get_weather",
  description: "Current temperature in a city",
  input: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    if (city === "Lima") throw new Error("station offline");
    return { city, celsius: city.length * 3 };
  },
});

let server: VendorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("runToolLoop with openaiChat through the real SDK", () => {
  it.each([false, true])(
    "runs lookups, then returns the answer and the whole history (stream: %s)",
    async (stream) => {
      server = await startVendorServer({ replies: scriptedChat(stream) });
      const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
      // Order, not time: one counter shared by the executor's events and the end of the stream.
      let sequence = 0;
      const events: Array<ExecutionEvent & { step: number; sequence: number }> = [];
      let streamEnded = Number.POSITIVE_INFINITY;
      const result = await runToolLoop({
        adapter: openaiChat(),
        tools: [weather],
        request: {
          model: "scripted",
          messages: [{ role: "user", content: "Weather in four cities?" }],
        },
        send: async (request) => {
          if (!stream) return client.chat.completions.create(request);
          const answer = await client.chat.completions.create({ ...request, stream: true });
          // Mark when the stream ends, to prove calls started before it.
          return (async function* () {
            for await (const event of answer) yield event;
            streamEnded = sequence++;
          })();
        },
        onEvent: (event) => events.push({ ...event, sequence: sequence++ }),
      });
      expect(result.stopReason).toBe("done");
      expect(result.steps).toHaveLength(2);
      expect(result.steps.every((step) => step.streamed === stream)).toBe(true);
      expect(result.history.map((m) => m.role)).toStrictEqual([
        "user",
        "assistant",
        "tool",
        "tool",
        "tool",
        "tool",
        "assistant",
      ]);
      expect(result.history.at(-1)).toMatchObject({
        role: "assistant",
        content: expect.stringContaining("station offline"),
      });
      // The first request declared the tool and the switch; the second carried the results.
      const [first, second] = server.requests.map((r) => r.body as ChatCompletionCreateParams);
      expect(
        first?.tools?.map((t) => (t.type === "function" ? t.function.name : "")),
      ).toStrictEqual(["get_weather"]);
      expect(first?.parallel_tool_calls).toBe(true);
      expect(
        loadSpecValidator("openai").validate("CreateChatCompletionRequest", second),
      ).toStrictEqual([]);
      if (stream) {
        // Eager execution: the first call started before the stream ended.
        const firstStart = events.find((e) => e.type === "call-start" && e.step === 0);
        expect(firstStart?.sequence).toBeLessThan(streamEnded);
      }
    },
  );

  it("stops at maxSteps with a clear reason and a history ready to continue", async () => {
    server = await startVendorServer({
      replies: () => jsonReply(completion({ tool_calls: lookups.slice(0, 1) }, "tool_calls")),
    });
    const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
    const result = await runToolLoop({
      adapter: openaiChat(),
      tools: [weather],
      request: { model: "scripted", messages: [{ role: "user", content: "loop" }] },
      send: (request) => client.chat.completions.create({ ...request, stream: false }),
      maxSteps: 3,
    });
    expect(result.stopReason).toBe("max-steps");
    expect(result.steps).toHaveLength(3);
    expect(result.history.at(-1)).toMatchObject({ role: "tool" });
    expect(
      loadSpecValidator("openai").validate("CreateChatCompletionRequest", result.request),
    ).toStrictEqual([]);
  });

  it("answers a throwing, a hanging and an unknown tool mid-loop and still sends a valid request", async () => {
    const calls = [
      { id: "call_t", type: "function", function: { name: "boom", arguments: "{}" } },
      { id: "call_h", type: "function", function: { name: "hang", arguments: "{}" } },
      { id: "call_u", type: "function", function: { name: "no_such_tool", arguments: "{}" } },
      { id: "call_j", type: "function", function: { name: "boom", arguments: "{not json" } },
    ];
    let turn = 0;
    server = await startVendorServer({
      replies: () =>
        turn++ === 0
          ? jsonReply(completion({ tool_calls: calls }, "tool_calls"))
          : jsonReply(completion({ content: "ok" }, "stop")),
    });
    const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
    const boom = defineTool({
      name: "boom",
      description: "",
      input: z.object({}),
      execute: () => {
        throw "kaput";
      },
    });
    const hang = defineTool({
      name: "hang",
      description: "",
      input: z.object({}),
      timeoutMs: 20,
      execute: () => new Promise(() => {}),
    });
    const result = await runToolLoop({
      adapter: openaiChat(),
      tools: [boom, hang],
      request: { model: "scripted", messages: [{ role: "user", content: "go" }] },
      send: (request) => client.chat.completions.create({ ...request, stream: false }),
    });
    expect(result.stopReason).toBe("done");
    expect(result.steps[0]?.results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "execution_failed",
      "timeout",
      "unknown_tool",
      "invalid_input",
    ]);
    const second = server.requests[1]?.body as ChatCompletionCreateParams;
    expect(
      loadSpecValidator("openai").validate("CreateChatCompletionRequest", second),
    ).toStrictEqual([]);
    expect(second.messages.filter((m) => m.role === "tool")).toHaveLength(4);
  });

  it("stops on a cut-off turn without running it", async () => {
    server = await startVendorServer({
      replies: [jsonReply(completion({ tool_calls: lookups }, "length"))],
    });
    const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
    let ran = 0;
    const counted = defineTool({
      name: "get_weather",
      description: "",
      input: z.object({ city: z.string() }),
      execute: () => ran++,
    });
    const result = await runToolLoop({
      adapter: openaiChat(),
      tools: [counted],
      request: { model: "scripted", messages: [{ role: "user", content: "go" }] },
      send: (request) => client.chat.completions.create({ ...request, stream: false }),
    });
    expect(result.stopReason).toBe("incomplete");
    expect(ran).toBe(0);
    expect(result.steps[0]?.results.every((r) => !r.ok && r.error.code === "not_executed")).toBe(
      true,
    );
  });
});

describe("runToolLoop with openaiResponses through the real SDK", () => {
  it("runs a turn of calls and returns the final answer with the whole input history", async () => {
    const output = cities.slice(0, 2).map((city, i) => ({
      type: "function_call",
      id: `fc_${i}`,
      call_id: `call_${i}`,
      name: "get_weather",
      arguments: JSON.stringify({ city }),
      status: "completed",
    }));
    const response = (items: unknown[]) => ({
      id: "resp_1",
      object: "response",
      status: "completed",
      output: items,
      parallel_tool_calls: true,
    });
    server = await startVendorServer({
      replies: [
        jsonReply(response(output)),
        jsonReply(
          response([
            {
              type: "message",
              id: "msg_1",
              role: "assistant",
              status: "completed",
              content: [{ type: "output_text", text: "done", annotations: [] }],
            },
          ]),
        ),
      ],
    });
    const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
    const result = await runToolLoop({
      adapter: openaiResponses(),
      tools: [weather],
      request: { model: "scripted", input: "Weather?", store: false },
      send: (request) => client.responses.create({ ...request, stream: false }),
    });
    expect(result.stopReason).toBe("done");
    expect(
      result.history.map((item) => ("type" in item && item.type) || ("role" in item && item.role)),
    ).toStrictEqual([
      "user",
      "function_call",
      "function_call",
      "function_call_output",
      "function_call_output",
      "message",
    ]);
    const second = server.requests[1]?.body as ResponseCreateParams;
    expect(loadSpecValidator("openai").validate("CreateResponse", second)).toStrictEqual([]);
    expect(second.parallel_tool_calls).toBe(true);
  });
});
