import {
  loadRecordings,
  loadSpecValidator,
  openaiChatWire,
  openaiResponsesWire,
  type Recording,
  replyFromRecording,
  sseReply,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";
import { defineTool, executeBatch, type ToolCall } from "@toolbatch/core";
import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type {
  ResponseCreateParams,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openaiChat, openaiResponses } from "../src/index.js";
import { chunk } from "./support.js";

/** The tools the recordings call, answering what the recorded follow-ups sent ("5", "6"). */
const arithmetic = [
  defineTool({
    name: "add",
    description: "Add two numbers",
    input: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => String(a + b),
  }),
  defineTool({
    name: "multiply",
    description: "Multiply two numbers",
    input: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => String(a * b),
  }),
];

const recording = (key: string) => loadRecordings().find((r) => r.key === key) as Recording;
const finalAnswer = {
  id: "chatcmpl-final",
  object: "chat.completion",
  created: 0,
  model: "gpt-test",
  choices: [
    {
      index: 0,
      finish_reason: "stop",
      logprobs: null,
      message: { role: "assistant", content: "5 and 6.", refusal: null },
    },
  ],
};

let server: VendorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const client = (s: VendorServer) => new OpenAI({ apiKey: "test", baseURL: s.url, maxRetries: 0 });

describe("openaiChat through the real openai SDK", () => {
  it.each(["oc1", "oc5"])("runs recording %s and sends the recorded follow-up", async (key) => {
    const rec = recording(key);
    server = await startVendorServer({
      replies: [
        replyFromRecording(rec),
        { kind: "json", status: 200, headers: {}, body: finalAnswer },
      ],
    });
    const adapter = openaiChat();
    const first = rec.request as ChatCompletionCreateParamsNonStreaming;
    const tools =
      key === "oc1"
        ? arithmetic
        : [
            defineTool({
              name: "get_current_weather",
              description: "w",
              input: z.object({ location: z.string() }),
              execute: ({ location }) => location,
            }),
          ];
    const completion = await client(server).chat.completions.create({
      ...first,
      stream: false,
      tools: adapter.tools(tools),
      ...adapter.requestOptions({ parallel: true }),
    });
    const batch = adapter.toBatch(completion);
    expect(batch.calls.map((c) => c.id)).toStrictEqual(rec.expected.calls.map((c) => c.id));
    const results = await executeBatch(batch, tools);
    const followUp = adapter.toFollowUp(batch, results);
    await client(server).chat.completions.create({
      ...first,
      stream: false,
      messages: [...first.messages, ...followUp],
    });

    const [sent, next] = server.requests.map((r) => r.body as ChatCompletionCreateParams);
    expect(sent?.parallel_tool_calls).toBe(true);
    expect(sent?.tools?.map((t) => (t.type === "function" ? t.function.name : ""))).toStrictEqual(
      tools.map((t) => t.name),
    );
    expect(loadSpecValidator("openai").validate("CreateChatCompletionRequest", next)).toStrictEqual(
      [],
    );
    const tail = (next as ChatCompletionCreateParams).messages.slice(first.messages.length);
    if (key === "oc1")
      expect(openaiChatWire.comparable(tail)).toStrictEqual(
        openaiChatWire.comparable(
          openaiChatWire.recordedFollowUp(rec) as ChatCompletionMessageParam[],
        ),
      );
    expect(tail.map((m) => m.role)).toStrictEqual(["assistant", "tool", "tool"]);
  });

  it.each([1, 5, 64])(
    "assembles recorded streams sliced every %i bytes, through the SDK's own stream",
    async (chunkBytes) => {
      for (const key of ["oc2", "oc3", "oc4", "oc6"]) {
        const rec = recording(key);
        server = await startVendorServer({ replies: [replyFromRecording(rec, { chunkBytes })] });
        const assembler = openaiChat().createStreamAssembler();
        const reported: ToolCall[] = [];
        const stream = await client(server).chat.completions.create({
          model: "gpt-test",
          messages: [{ role: "user", content: "hi" }],
          stream: true,
        });
        for await (const chunk of stream) reported.push(...assembler.push(chunk));
        const batch = assembler.finish();
        expect(batch.complete).toBe(true);
        expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual(
          rec.expected.calls.map((c) => [c.id, c.name, c.input]),
        );
        expect(reported.map((c) => c.id)).toStrictEqual(batch.calls.map((c) => c.id));
        await server.close();
      }
    },
  );

  it("agrees with the SDK's stream helper (chat.completions.stream) on a well-formed stream", async () => {
    server = await startVendorServer({
      replies: [replyFromRecording(recording("oc2"), { chunkBytes: 3 })],
    });
    const assembler = openaiChat().createStreamAssembler();
    const stream = client(server).chat.completions.stream({
      model: "gpt-test",
      messages: [{ role: "user", content: "hi" }],
    });
    for await (const chunk of stream) assembler.push(chunk);
    const fromHelper = openaiChat().toBatch(await stream.finalChatCompletion());
    const assembled = assembler.finish();
    expect(assembled.calls).toStrictEqual(fromHelper.calls);
    // The helper's message carries a client-side `parsed` field; the echo leaves it out.
    expect(fromHelper.turn).toHaveProperty("parsed");
    const results = await executeBatch(assembled, arithmetic);
    const [echo] = openaiChat().toFollowUp(fromHelper, results);
    expect(echo).not.toHaveProperty("parsed");
    expect(echo).toStrictEqual(openaiChat().toFollowUp(assembled, results)[0]);
  });

  const reusedIndex: ChatCompletionChunk[] = [
    chunk(
      [
        {
          index: 0,
          id: "call_A",
          type: "function",
          function: { name: "get_weather", arguments: "{}" },
        },
      ],
      null,
      { role: "assistant" },
    ),
    chunk([
      { index: 0, id: "call_B", type: "function", function: { name: "get_time", arguments: "{}" } },
    ]),
    chunk(undefined, "tool_calls"),
  ];

  it("splits a reused index into two calls where the SDK's helper merges them into {}{} (vLLM, lmdeploy#3412)", async () => {
    server = await startVendorServer({
      replies: [
        sseReply(reusedIndex.map((data) => ({ data }))),
        sseReply(reusedIndex.map((data) => ({ data }))),
      ],
    });
    const helper = await client(server)
      .chat.completions.stream({ model: "m", messages: [{ role: "user", content: "hi" }] })
      .finalChatCompletion();
    expect(helper.choices[0]?.message.tool_calls).toHaveLength(1);
    expect(helper.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { arguments: "{}{}" },
    });

    const assembler = openaiChat().createStreamAssembler();
    for await (const chunk of await client(server).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    }))
      assembler.push(chunk);
    expect(assembler.finish().calls.map((c) => [c.id, c.name, c.input])).toStrictEqual([
      ["call_A", "get_weather", {}],
      ["call_B", "get_time", {}],
    ]);
  });

  it("assembles deltas without an index (Ollama#7881), which the SDK's helper loses", async () => {
    const noIndex = [
      chunk(
        [{ id: "call_A", type: "function", function: { name: "a", arguments: '{"x":1}' } }],
        null,
        { role: "assistant" },
      ),
      chunk([{ id: "call_B", type: "function", function: { name: "b", arguments: "{}" } }]),
      chunk(undefined, "stop"),
    ].map((data) => ({ data }));
    server = await startVendorServer({ replies: [sseReply(noIndex), sseReply(noIndex)] });
    // openai 6.x's helper silently drops such calls; the 7.x line throws. Either way they are lost.
    const helperOutcome = await client(server)
      .chat.completions.stream({ model: "m", messages: [{ role: "user", content: "hi" }] })
      .finalChatCompletion()
      .then(
        (completion) => completion.choices[0]?.message.tool_calls?.length ?? 0,
        () => "threw",
      );
    expect([0, "threw"]).toContain(helperOutcome);
    const assembler = openaiChat().createStreamAssembler();
    for await (const chunk of await client(server).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    }))
      assembler.push(chunk);
    expect(assembler.finish().calls.map((c) => [c.id, c.input])).toStrictEqual([
      ["call_A", { x: 1 }],
      ["call_B", {}],
    ]);
  });

  it("sends back the reasoning_content a DeepSeek-style server streamed with the calls", async () => {
    const streamed = [
      chunk(undefined, null, { role: "assistant", content: null, reasoning_content: "Both " }),
      chunk(undefined, null, { reasoning_content: "at once." }),
      chunk([
        { index: 0, id: "call_A", type: "function", function: { name: "add", arguments: "" } },
      ]),
      chunk([{ index: 0, function: { arguments: '{"a":2,"b":3}' } }]),
      chunk(undefined, "tool_calls"),
    ].map((data) => ({ data }));
    server = await startVendorServer({
      replies: [sseReply(streamed), { kind: "json", status: 200, headers: {}, body: finalAnswer }],
    });
    const adapter = openaiChat();
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "add 2 and 3" }];
    const assembler = adapter.createStreamAssembler();
    for await (const event of await client(server).chat.completions.create({
      model: "deepseek-reasoner",
      messages,
      stream: true,
    }))
      assembler.push(event);
    const batch = assembler.finish();
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    await client(server).chat.completions.create({
      model: "deepseek-reasoner",
      messages: [...messages, ...followUp],
    });
    const next = server.requests[1]?.body as ChatCompletionCreateParams | undefined;
    expect(next?.messages[1]).toStrictEqual({
      role: "assistant",
      content: null,
      reasoning_content: "Both at once.",
      tool_calls: [
        { id: "call_A", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } },
      ],
    });
  });

  it("sends parallel_tool_calls: false, and runs the batch one call at a time", async () => {
    const rec = recording("oc1");
    server = await startVendorServer({ replies: [replyFromRecording(rec)] });
    const adapter = openaiChat();
    const completion = await client(server).chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "hi" }],
      tools: adapter.tools(arithmetic),
      ...adapter.requestOptions({ parallel: false }),
    });
    expect(server.requests[0]?.body).toMatchObject({ parallel_tool_calls: false });
    let running = 0;
    let most = 0;
    const watched = arithmetic.map((tool) =>
      defineTool({
        name: tool.name,
        description: tool.description,
        input: z.object({ a: z.number(), b: z.number() }),
        execute: async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setImmediate(r));
          running--;
          return "x";
        },
      }),
    );
    await executeBatch(adapter.toBatch(completion), watched, { parallel: false });
    expect(most).toBe(1);
  });
});

describe("openaiResponses through the real openai SDK", () => {
  it("runs recording or1 with store: false and sends the recorded follow-up items", async () => {
    const rec = recording("or1");
    server = await startVendorServer({
      replies: [replyFromRecording(rec), replyFromRecording(rec)],
    });
    const adapter = openaiResponses();
    const first = rec.request as ResponseCreateParamsNonStreaming;
    const response = await client(server).responses.create({
      ...first,
      stream: false,
      tools: adapter.tools(arithmetic),
    });
    const batch = adapter.toBatch(response);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    await client(server).responses.create({
      ...first,
      stream: false,
      input: [...(first.input as ResponseInputItem[]), ...followUp],
    });
    const next = server.requests[1]?.body as ResponseCreateParams;
    expect(loadSpecValidator("openai").validate("CreateResponse", next)).toStrictEqual([]);
    const tail = (next.input as ResponseInputItem[]).slice(
      (first.input as ResponseInputItem[]).length,
    );
    expect(openaiResponsesWire.comparable(tail)).toStrictEqual(
      openaiResponsesWire.comparable(
        openaiResponsesWire.recordedFollowUp(rec) as ResponseInputItem[],
      ),
    );
    // The reasoning item goes back first, verbatim; outputs pair by call_id, never by the fc_ item id.
    expect(tail[0]).toStrictEqual((rec.response as { output: unknown[] }).output[0]);
    expect(
      tail
        .filter((item) => item.type === "function_call_output")
        .map((item) => (item as { call_id: string }).call_id),
    ).toStrictEqual(rec.expected.calls.map((c) => c.id));
  });

  it("sends a call a compatible server gave no call_id back under the id its output names", async () => {
    const idless = (id: string, name: string) => ({
      type: "function_call",
      id,
      name,
      arguments: '{"a":2,"b":3}',
      status: "completed",
    });
    const body = {
      id: "resp_compatible",
      object: "response",
      created_at: 0,
      status: "completed",
      model: "compatible",
      output: [idless("fc_1", "add"), idless("fc_2", "multiply")],
      parallel_tool_calls: true,
    };
    server = await startVendorServer({
      replies: [
        { kind: "json", status: 200, headers: {}, body },
        { kind: "json", status: 200, headers: {}, body: { ...body, output: [] } },
      ],
    });
    const adapter = openaiResponses();
    const batch = adapter.toBatch(
      await client(server).responses.create({ model: "m", input: "hi" }),
    );
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    await client(server).responses.create({ model: "m", input: followUp, store: false });
    const next = server.requests[1]?.body as ResponseCreateParams | undefined;
    const sent = (next?.input ?? []) as { type: string; call_id?: string }[];
    const ids = batch.calls.map((c) => c.id);
    expect(sent.map((item) => [item.type, item.call_id])).toStrictEqual([
      ["function_call", ids[0]],
      ["function_call", ids[1]],
      ["function_call_output", ids[0]],
      ["function_call_output", ids[1]],
    ]);
  });

  it("sends only the outputs with previous_response_id in previous-response mode", async () => {
    const rec = recording("or1");
    server = await startVendorServer({ replies: [replyFromRecording(rec)] });
    const adapter = openaiResponses({ history: "previous-response" });
    const batch = adapter.toBatch(
      await client(server).responses.create({ model: "gpt-5", input: "hi" }),
    );
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    expect(followUp).toStrictEqual([
      { type: "function_call_output", call_id: rec.expected.calls[0]?.id, output: "5" },
      { type: "function_call_output", call_id: rec.expected.calls[1]?.id, output: "6" },
    ]);
    const request = {
      model: "gpt-5",
      previous_response_id: batch.turn.responseId,
      input: followUp,
    };
    expect(loadSpecValidator("openai").validate("CreateResponse", request)).toStrictEqual([]);
  });

  it.each(["or2", "or3"])(
    "assembles recorded stream %s through responses.create and the responses.stream helper",
    async (key) => {
      const rec = recording(key);
      server = await startVendorServer({
        replies: [
          replyFromRecording(rec, { chunkBytes: 11 }),
          replyFromRecording(rec, { chunkBytes: 2 }),
        ],
      });
      const assembler = openaiResponses().createStreamAssembler();
      const reported: ToolCall[] = [];
      for await (const event of await client(server).responses.create({
        model: "gpt-5",
        input: "hi",
        stream: true,
      }))
        reported.push(...assembler.push(event));
      const batch = assembler.finish();
      expect(batch.complete).toBe(true);
      expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual(
        rec.expected.calls.map((c) => [c.id, c.name, c.input]),
      );
      expect(reported.map((c) => c.id)).toStrictEqual(batch.calls.map((c) => c.id));

      const helper = client(server).responses.stream({ model: "gpt-5", input: "hi" });
      const viaHelper = openaiResponses().toBatch(await helper.finalResponse());
      expect(viaHelper.calls).toStrictEqual(batch.calls);
      // The helper adds parsed_arguments to each call; the echo drops it, so both follow-ups agree.
      expect(JSON.stringify(viaHelper.turn.output)).toContain("parsed_arguments");
      const results = await executeBatch(batch, arithmetic);
      const fromHelper = openaiResponses().toFollowUp(viaHelper, results);
      expect(fromHelper).toStrictEqual(openaiResponses().toFollowUp(batch, results));
      expect(JSON.stringify(fromHelper)).not.toContain("parsed");
    },
  );

  it("expands the recorded multi_tool_use wrapper (or7) streamed through the SDK", async () => {
    server = await startVendorServer({
      vendor: "openai",
      replies: [replyFromRecording(recording("or7"))],
    });
    const assembler = openaiResponses().createStreamAssembler();
    for await (const event of await client(server).responses.create({
      model: "gpt-5",
      input: "hi",
      stream: true,
    }))
      assembler.push(event);
    const batch = assembler.finish();
    expect(batch.calls.map((c) => [c.name, c.input])).toStrictEqual([
      ["weather", { location: "San Francisco" }],
      ["cityAttractions", { city: "Rome" }],
    ]);
    // The recording's response.completed line is broken, so the stream never ended: nothing runs.
    expect(batch.complete).toBe(false);
  });
});
