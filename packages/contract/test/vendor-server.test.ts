import { readFileSync } from "node:fs";
import { ToolbatchError } from "@toolbatch/core";
import fc from "fast-check";
import OpenAI from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidServerOptionError } from "../src/server/invalid-server-option-error.js";
import { parseSseEvents } from "../src/server/parse-sse-events.js";
import {
  errorReply,
  jsonReply,
  type ServerReply,
  sseReply,
  sseTextReply,
} from "../src/server/server-reply.js";
import { frameSseEvent, type SseEventInit, splitSseFrames } from "../src/server/sse-frame.js";
import {
  startVendorServer,
  type VendorServer,
  type VendorServerOptions,
} from "../src/server/vendor-server.js";

// The recordings this package ships (copied from the shared set, attribution in NOTICE).
const recording = (path: string): Buffer =>
  readFileSync(new URL(`../recordings/${path}`, import.meta.url));

const open: VendorServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(options: VendorServerOptions): Promise<VendorServer> {
  const server = await startVendorServer(options);
  open.push(server);
  return server;
}

const clientFor = (server: VendorServer, maxRetries = 0) =>
  new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries });

const post = (server: VendorServer, path: string, body: string) =>
  fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

// --- OpenAI Chat Completions fixtures: two parallel calls of one tool ---

const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather in a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    },
  },
];
const messages: ChatCompletionMessageParam[] = [
  { role: "user", content: "Weather in Paris and Zürich?" },
];
const chatRequest = { model: "gpt-4o-2024-08-06", messages, tools };

const completion: ChatCompletion = {
  id: "chatcmpl-loopback1",
  object: "chat.completion",
  created: 1782321900,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: "call_paris",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          {
            id: "call_zurich",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Zürich"}' },
          },
        ],
      },
    },
  ],
  usage: { prompt_tokens: 60, completion_tokens: 40, total_tokens: 100 },
};

const chunk = (
  delta: ChatCompletionChunk.Choice.Delta,
  finishReason: ChatCompletionChunk.Choice["finish_reason"] = null,
): ChatCompletionChunk => ({
  id: "chatcmpl-loopback2",
  object: "chat.completion.chunk",
  created: 1782321900,
  model: "gpt-4o-2024-08-06",
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
});

// Argument fragments cut mid-key and mid-value, as the real API does.
const chatChunks: ChatCompletionChunk[] = [
  chunk({ role: "assistant", content: null }),
  chunk({
    tool_calls: [
      {
        index: 0,
        id: "call_paris",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  chunk({
    tool_calls: [
      {
        index: 1,
        id: "call_zurich",
        type: "function",
        function: { name: "get_weather", arguments: '{"ci' },
      },
    ],
  }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: 'ty":"Zürich"}' } }] }),
  chunk({}, "tool_calls"),
];
const chatEvents = chatChunks.map((data) => ({ data }));

// --- OpenAI Responses fixtures, shaped after recordings/extracted/openai-responses/or2 ---

const functionCall = (index: number, status: string, args: string) => ({
  id: `fc_loopback${index}`,
  type: "function_call",
  status,
  arguments: args,
  call_id: `call_${index}`,
  name: "get_weather",
});

const responseObject = (status: "in_progress" | "completed", output: unknown[]) => ({
  id: "resp_loopback1",
  object: "response",
  created_at: 1782321708,
  status,
  error: null,
  incomplete_details: null,
  instructions: null,
  model: "gpt-5-2025-08-07",
  output,
  parallel_tool_calls: true,
  temperature: 1,
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  usage: null,
  metadata: {},
});

const finishedCalls = [
  functionCall(0, "completed", '{"city":"Paris"}'),
  functionCall(1, "completed", '{"city":"Zürich"}'),
];

const responsesEvents = (() => {
  const events: { type: string; [field: string]: unknown }[] = [
    { type: "response.created", response: responseObject("in_progress", []) },
  ];
  for (const [index, done] of finishedCalls.entries()) {
    const added = { ...done, status: "in_progress", arguments: "" };
    const half = Math.floor(done.arguments.length / 2);
    events.push(
      { type: "response.output_item.added", item: added, output_index: index },
      ...[done.arguments.slice(0, half), done.arguments.slice(half)].map((delta) => ({
        type: "response.function_call_arguments.delta",
        delta,
        item_id: done.id,
        output_index: index,
      })),
      {
        type: "response.function_call_arguments.done",
        arguments: done.arguments,
        item_id: done.id,
        output_index: index,
      },
      { type: "response.output_item.done", item: done, output_index: index },
    );
  }
  events.push({ type: "response.completed", response: responseObject("completed", finishedCalls) });
  return events.map((event, sequence) => ({ ...event, sequence_number: sequence }));
})();

const responsesRequest = {
  model: "gpt-5-2025-08-07",
  input: "Weather in Paris and Zürich?",
  tools: [
    {
      type: "function" as const,
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
      strict: false,
    },
  ],
};

describe("the OpenAI SDK against the loopback server: Chat Completions", () => {
  it("returns the scripted completion and records what the SDK sent", async () => {
    const server = await start({ replies: [jsonReply(completion)] });

    const result = await clientFor(server).chat.completions.create(chatRequest);

    expect(result).toStrictEqual(completion);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({
      route: "openai-chat",
      method: "POST",
      path: "/v1/chat/completions",
      query: {},
    });
    expect(request?.body).toStrictEqual(chatRequest);
    expect(request?.headers).toMatchObject({
      authorization: "Bearer test",
      "content-type": "application/json",
      accept: "application/json",
      "x-stainless-lang": "js",
      "x-stainless-retry-count": "0",
    });
    expect(request?.headers["user-agent"]).toMatch(/^OpenAI\/JS \d+\.\d+\.\d+/);
    expect(typeof request?.time).toBe("number");
  });

  it.each([
    { name: "whole events", init: {} },
    { name: "1-byte slices", init: { chunkBytes: 1 } },
    { name: "7-byte slices", init: { chunkBytes: 7 } },
    { name: "7-byte slices with gaps", init: { chunkBytes: 7, gapMs: 1 } },
  ])("streams the scripted chunks in $name", async ({ init }) => {
    const server = await start({ replies: [sseReply(chatEvents, init)] });

    const stream = await clientFor(server).chat.completions.create({
      ...chatRequest,
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    for await (const item of stream) received.push(item);

    expect(received).toStrictEqual(chatChunks);
    expect(server.requests[0]?.body).toStrictEqual({ ...chatRequest, stream: true });
  });

  it("lets the SDK's stream helper assemble two calls sent by index", async () => {
    const server = await start({ replies: [sseReply(chatEvents, { chunkBytes: 5 })] });

    const stream = clientFor(server).chat.completions.stream(chatRequest);
    const final = await stream.finalChatCompletion();

    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(
      final.choices[0]?.message.tool_calls?.map((call) =>
        call.type === "function" ? { id: call.id, ...call.function } : call,
      ),
    ).toStrictEqual([
      { id: "call_paris", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_zurich", name: "get_weather", arguments: '{"city":"Zürich"}' },
    ]);
  });

  it("replays a recorded stream byte for byte, and the SDK reads it", async () => {
    const body = recording("openai-chat/oc2__i0.response.sse");
    const expected = parseSseEvents(body.toString("utf8"))
      .filter((event) => event.data !== "[DONE]")
      .map((event) => JSON.parse(event.data));
    const server = await start({
      replies: [sseTextReply(body, { chunkBytes: 3 }), sseTextReply(body, { gaps: [0, 1, 0, 1] })],
    });
    const client = clientFor(server);

    const stream = await client.chat.completions.create({ ...chatRequest, stream: true });
    const received: unknown[] = [];
    for await (const item of stream) received.push(item);
    const final = await client.chat.completions.stream(chatRequest).finalChatCompletion();

    expect(received).toStrictEqual(expected);
    expect(
      final.choices[0]?.message.tool_calls?.map((call) =>
        call.type === "function" ? [call.function.name, JSON.parse(call.function.arguments)] : [],
      ),
    ).toStrictEqual([
      ["add", { a: 2, b: 3 }],
      ["multiply", { a: 2, b: 3 }],
    ]);
  });

  it("delivers each event before the next one is written", async () => {
    // The second event waits a minute; reading the first proves the stream is not buffered.
    const server = await start({
      replies: [sseReply(chatEvents.slice(0, 2), { gaps: [0, 60_000] })],
    });
    const stream = await clientFor(server).chat.completions.create({
      ...chatRequest,
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();

    expect((await iterator.next()).value).toStrictEqual(chatChunks[0]);
    // Closing cuts the pending pause short instead of waiting for it.
    await server.close();
    await expect(iterator.next()).rejects.toThrow();
  });
});

describe("the OpenAI SDK against the loopback server: Responses", () => {
  it("returns the scripted response", async () => {
    const body = responseObject("completed", finishedCalls);
    const server = await start({ replies: [jsonReply(body)] });

    const response = await clientFor(server).responses.create(responsesRequest);

    expect(response).toMatchObject(body);
    expect(response.output_text).toBe("");
    expect(server.requests[0]).toMatchObject({
      route: "openai-responses",
      path: "/v1/responses",
      body: responsesRequest,
    });
  });

  it("streams named events, and the stream helper assembles both calls", async () => {
    const events = responsesEvents.map((data) => ({ event: data.type, data }));
    const server = await start({
      replies: [sseReply(events), sseReply(events, { chunkBytes: 11, gapMs: 0 })],
    });
    const client = clientFor(server);

    const stream = await client.responses.create({ ...responsesRequest, stream: true });
    const received: unknown[] = [];
    for await (const event of stream) received.push(event);
    const final = await client.responses.stream(responsesRequest).finalResponse();

    expect(received).toStrictEqual(responsesEvents);
    expect(
      final.output.flatMap((item) =>
        item.type === "function_call"
          ? [{ id: item.call_id, name: item.name, arguments: item.arguments }]
          : [],
      ),
    ).toStrictEqual([
      { id: "call_0", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_1", name: "get_weather", arguments: '{"city":"Zürich"}' },
    ]);
    expect(server.requests.map((request) => request.body)).toStrictEqual([
      { ...responsesRequest, stream: true },
      { ...responsesRequest, stream: true },
    ]);
  });

  it("replays a recorded Responses stream that the SDK reads", async () => {
    const body = recording("openai-responses/or2__i0.response.sse");
    const expected = parseSseEvents(body.toString("utf8")).map((event) => JSON.parse(event.data));
    const server = await start({
      replies: [sseTextReply(body, { chunkBytes: 64 }), sseTextReply(body, { gapMs: 1 })],
    });
    const client = clientFor(server);

    const stream = await client.responses.create({ ...responsesRequest, stream: true });
    const received: unknown[] = [];
    for await (const event of stream) received.push(event);
    const final = await client.responses.stream(responsesRequest).finalResponse();

    expect(received).toStrictEqual(expected);
    expect(
      final.output.flatMap((item) =>
        item.type === "function_call" ? [[item.name, item.arguments]] : [],
      ),
    ).toStrictEqual([
      ["add", '{"a":2,"b":3}'],
      ["multiply", '{"a":2,"b":3}'],
    ]);
  });
});

describe("errors the SDK surfaces", () => {
  it("turns an error reply into an APIError with its status and message", async () => {
    const server = await start({
      replies: [
        errorReply(400, "Invalid 'tools[0].function.name': empty string."),
        errorReply(
          429,
          {
            error: {
              message: "Rate limit reached",
              type: "requests",
              param: null,
              code: "rate_limit_exceeded",
            },
          },
          { headers: { "x-should-retry": "false" } },
        ),
      ],
    });
    const client = clientFor(server, 2);

    const badRequest = await client.chat.completions
      .create(chatRequest)
      .catch((error: unknown) => error);
    const rateLimited = await client.chat.completions
      .create(chatRequest)
      .catch((error: unknown) => error);

    expect(badRequest).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badRequest).toMatchObject({
      status: 400,
      message: "400 Invalid 'tools[0].function.name': empty string.",
      type: "invalid_request_error",
    });
    expect(rateLimited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rateLimited).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    // `x-should-retry: false` overrides the SDK's retry of a 429.
    expect(server.requests).toHaveLength(2);
  });

  it("answers 500 once the script runs out, records the request, and stops SDK retries", async () => {
    const server = await start({ replies: [jsonReply(completion)] });
    const client = clientFor(server, 2);

    await client.chat.completions.create(chatRequest);
    const error = await client.chat.completions
      .create(chatRequest)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
    expect((error as Error).message).toContain("ran out of replies");
    expect(server.requests).toHaveLength(2);
  });

  it("answers 404 with an OpenAI error body on an unknown route, without using a reply", async () => {
    const server = await start({ replies: [jsonReply(completion)] });
    const client = clientFor(server);

    const error = await client.models.list().catch((caught: unknown) => caught);
    const raw = await post(server, "/v1/messages", "{}");
    const result = await client.chat.completions.create(chatRequest);

    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(raw.status).toBe(404);
    expect(await raw.json()).toStrictEqual({
      error: {
        message: expect.stringContaining("[toolbatch/contract] No route for POST /v1/messages"),
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect(result).toStrictEqual(completion);
    expect(server.requests.map(({ route, method, path }) => [route, method, path])).toStrictEqual([
      [null, "GET", "/v1/models"],
      [null, "POST", "/v1/messages"],
      ["openai-chat", "POST", "/v1/chat/completions"],
    ]);
  });

  it("answers 500 when a reply function throws or returns something else", async () => {
    const server = await start({
      replies: [
        () => {
          throw new Error("script bug");
        },
        () => ({ body: completion }) as unknown as ServerReply,
      ],
    });

    const thrown = await post(server, "/v1/chat/completions", "{}");
    const wrong = await post(server, "/v1/chat/completions", "{}");

    expect(thrown.status).toBe(500);
    expect(thrown.headers.get("x-should-retry")).toBe("false");
    expect(await thrown.text()).toContain("threw: script bug");
    expect(wrong.status).toBe(500);
    expect(await wrong.text()).toContain("not a reply from jsonReply");
  });
});

describe("startVendorServer", () => {
  it("calls reply functions with the recorded request and its index", async () => {
    const seen: [unknown, number][] = [];
    const echo = async (request: { body: unknown }, index: number) => {
      seen.push([request.body, index]);
      return jsonReply({ ...completion, id: `chatcmpl-${index}` });
    };
    const listed = await start({ replies: [jsonReply(completion), echo] });
    const single = await start({ replies: echo });

    await clientFor(listed).chat.completions.create(chatRequest);
    const second = await clientFor(listed).chat.completions.create(chatRequest);
    const first = await clientFor(single).chat.completions.create(chatRequest);

    expect([second.id, first.id]).toStrictEqual(["chatcmpl-1", "chatcmpl-0"]);
    expect(seen).toStrictEqual([
      [chatRequest, 1],
      [chatRequest, 0],
    ]);
  });

  it("records query, lower-case headers and a body that is not JSON", async () => {
    const server = await start({
      replies: [jsonReply({ ok: true }, { status: 201, headers: { "X-Request-Id": "req_1" } })],
    });

    const response = await fetch(`${server.origin}/v1/chat/completions?alt=sse&n=2`, {
      method: "POST",
      headers: { "X-Custom": "yes", "content-type": "text/plain" },
      body: "not json",
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("req_1");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(server.requests[0]).toMatchObject({
      query: { alt: "sse", n: "2" },
      headers: { "x-custom": "yes", "content-type": "text/plain" },
      body: "not json",
    });
  });

  it("frames events exactly, with [DONE] only where the route uses it", async () => {
    const events: SseEventInit[] = [{ event: "ping", data: { a: 1 } }, { data: "two\nlines" }];
    const server = await start({
      replies: [
        sseReply(events),
        sseReply(events),
        sseReply(events, { done: false }),
        sseReply(events, { done: true }),
      ],
    });
    const framed = 'event: ping\ndata: {"a":1}\n\ndata: two\ndata: lines\n\n';

    const chat = await post(server, "/v1/chat/completions", "{}");
    const responses = await post(server, "/v1/responses", "{}");
    const chatWithout = await post(server, "/v1/chat/completions", "{}");
    const responsesWith = await post(server, "/v1/responses", "{}");

    expect(chat.headers.get("content-type")).toBe("text/event-stream");
    expect(await chat.text()).toBe(`${framed}data: [DONE]\n\n`);
    expect(await responses.text()).toBe(framed);
    expect(await chatWithout.text()).toBe(framed);
    expect(await responsesWith.text()).toBe(`${framed}data: [DONE]\n\n`);
  });

  it("sends recorded text byte for byte, whatever the pacing", async () => {
    const body = recording("openai-chat/oc2__i0.response.sse");
    const server = await start({
      replies: [
        sseTextReply(body),
        sseTextReply(body, { chunkBytes: 7, gapMs: 0 }),
        sseTextReply("data: ü\r\n\r\n", { chunkBytes: 1 }),
      ],
    });

    const whole = await post(server, "/v1/chat/completions", "{}");
    const sliced = await post(server, "/v1/chat/completions", "{}");
    const text = await post(server, "/v1/chat/completions", "{}");

    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true);
    expect(Buffer.from(await sliced.arrayBuffer()).equals(body)).toBe(true);
    expect(await text.text()).toBe("data: ü\r\n\r\n");
  });

  it("round-trips arbitrary events through the server in arbitrary slices", async () => {
    let current: ServerReply = jsonReply(null);
    const server = await start({ replies: () => current });
    const eventArbitrary = fc.record(
      {
        event: fc.string({ unit: "grapheme" }).filter((name) => !/[\r\n]/.test(name)),
        data: fc.oneof(fc.string({ unit: "grapheme" }), fc.jsonValue()),
      },
      { requiredKeys: ["data"] },
    );

    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
        async (events, chunkBytes) => {
          current = sseReply(events, chunkBytes === undefined ? {} : { chunkBytes });
          const text = await (await post(server, "/v1/responses", "{}")).text();
          expect(parseSseEvents(text)).toStrictEqual(events.map(normalised));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("closes idempotently, and through Symbol.asyncDispose", async () => {
    const server = await startVendorServer({ replies: [] });

    await Promise.all([server.close(), server.close()]);
    await server[Symbol.asyncDispose]();

    await expect(post(server, "/v1/chat/completions", "{}")).rejects.toThrow();
  });

  it("throws InvalidServerOptionError for options it cannot serve", async () => {
    const mistakes: [string, () => unknown][] = [
      ["vendor", () => startVendorServer({ vendor: "mistral" as "openai", replies: [] })],
      ["replies", () => startVendorServer({ replies: {} as [] })],
      [
        "replies[1]",
        () => startVendorServer({ replies: [jsonReply(1), { body: 1 } as unknown as ServerReply] }),
      ],
      ["status", () => errorReply(200, "not an error")],
      ["status", () => jsonReply({}, { status: 600 })],
      ["headers", () => jsonReply({}, { headers: { "x-count": 1 as unknown as string } })],
      ["chunkBytes", () => sseReply([], { chunkBytes: 0 })],
      ["gapMs", () => sseReply([], { gapMs: -1 })],
      ["gaps", () => sseReply([{ data: 1 }], { gaps: [1, 2] })],
      ["gaps", () => sseReply([{ data: 1 }], { gapMs: 1, gaps: [1] })],
      ["gaps", () => sseTextReply("data: 1\n\n", { gaps: [0, 1] })],
      ["event", () => sseReply([{ event: "a\nb", data: 1 }])],
      ["data", () => sseReply([{ data: undefined }])],
    ];

    for (const [option, mistake] of mistakes) {
      const error = await (async () => mistake())().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(InvalidServerOptionError.isInstance(error), option).toBe(true);
      expect(ToolbatchError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ option, name: "InvalidServerOptionError" });
      expect((error as Error).message).toMatch(/^\[toolbatch\/contract\] Option "/);
    }
  });
});

/** What a framed event reads back as: SSE carries no carriage return, so line breaks become `\n`. */
function normalised(event: SseEventInit): { event?: string; data: string } {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  const text = data.replace(/\r\n|\r/g, "\n");
  return event.event === undefined ? { data: text } : { event: event.event, data: text };
}

describe("parseSseEvents", () => {
  it("reads named and unnamed events", () => {
    expect(parseSseEvents('event: response.created\ndata: {"a":1}\n\ndata: 2\n\n')).toStrictEqual([
      { event: "response.created", data: '{"a":1}' },
      { data: "2" },
    ]);
  });

  it("takes \\r\\n and lone \\r line ends", () => {
    expect(parseSseEvents("event: a\r\ndata: 1\r\n\r\ndata: 2\r\rdata: 3\r\n")).toStrictEqual([
      { event: "a", data: "1" },
      { data: "2" },
      { data: "3" },
    ]);
  });

  it("joins multi-line data with \\n and drops one space after the colon only", () => {
    expect(parseSseEvents("data: a\ndata:b\ndata:  c\ndata\n\n")).toStrictEqual([
      { data: "a\nb\n c\n" },
    ]);
  });

  it("skips comments, id, retry and unknown fields", () => {
    const text = ": keep-alive\n\nid: 7\nretry: 100\nfoo: bar\n: note\ndata: x\n\nid: 8\n\n";
    expect(parseSseEvents(text)).toStrictEqual([{ data: "x" }]);
  });

  it("keeps a final frame without its blank line, and a frame with no data", () => {
    expect(parseSseEvents("data: 1\n\nevent: end")).toStrictEqual([
      { data: "1" },
      { event: "end", data: "" },
    ]);
    expect(parseSseEvents("")).toStrictEqual([]);
    expect(parseSseEvents("\uFEFFdata: bom\n\n")).toStrictEqual([{ data: "bom" }]);
  });

  it("reads back what frameSseEvent wrote, and splitSseFrames cuts it frame by frame", () => {
    const eventArbitrary = fc.record(
      {
        event: fc.string({ unit: "binary" }).filter((name) => !/[\r\n]/.test(name)),
        data: fc.oneof(fc.string({ unit: "binary" }), fc.jsonValue()),
      },
      { requiredKeys: ["data"] },
    );
    fc.assert(
      fc.property(fc.array(eventArbitrary), (events) => {
        const frames = events.map(frameSseEvent);
        const text = frames.join("");
        expect(parseSseEvents(text)).toStrictEqual(events.map(normalised));

        const bytes = Buffer.from(text.replace(/\n/g, "\r\n"), "utf8");
        const pieces = splitSseFrames(bytes);
        expect(pieces).toHaveLength(events.length);
        expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
      }),
    );
  });
});
