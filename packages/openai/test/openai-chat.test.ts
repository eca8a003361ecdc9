import { loadSpecValidator } from "@toolbatch/contract";
import {
  defineTool,
  executeBatch,
  jsonSchema,
  PORTABLE_CALL_ID,
  ResultMismatchError,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import type {
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChoiceNotFoundError, openaiChat, StrictSchemaError } from "../src/index.js";
import { chunk, completion, fn } from "./support.js";

const validRequest = (messages: ChatCompletionMessageParam[]) =>
  loadSpecValidator("openai").validate("CreateChatCompletionRequest", {
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }, ...messages],
  });

const toolMessages = (messages: ChatCompletionMessageParam[]) =>
  messages.filter((m): m is ChatCompletionToolMessageParam => m.role === "tool");

describe("openaiChat toBatch", () => {
  it('reads "" arguments as {} and keeps the raw text', () => {
    const batch = openaiChat().toBatch(completion([fn("call_1", "get_time", "")]));
    expect(batch.calls[0]).toStrictEqual({
      id: "call_1",
      name: "get_time",
      input: {},
      rawInput: "",
      index: 0,
    });
  });

  it("takes arguments given as objects (Ollama) and sends them back as a JSON string", () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(
      completion([fn("call_1", "get_weather", { city: "Oslo" })], { finish_reason: "stop" }),
    );
    expect(batch.calls[0]?.input).toStrictEqual({ city: "Oslo" });
    expect(batch.complete).toBe(true);
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["arguments-object"]);
    const [assistant] = adapter.toFollowUp(batch, [toolSuccess(batch.calls[0] as never, "ok")]);
    expect(assistant).toMatchObject({
      tool_calls: [{ function: { arguments: '{"city":"Oslo"}' } }],
    });
  });

  it("synthesizes portable ids for calls without one and puts them in the follow-up", () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(completion([fn(undefined, "a", "{}"), fn("", "b", "{}")]));
    const [first, second] = batch.calls;
    expect(first?.id).toMatch(PORTABLE_CALL_ID);
    expect(second?.id).toMatch(PORTABLE_CALL_ID);
    expect(first?.id).not.toBe(second?.id);
    expect(first?.idSynthesized).toBe(true);
    const messages = adapter.toFollowUp(
      batch,
      batch.calls.map((call) => toolSuccess(call, 1)),
    );
    expect(messages[0]).toMatchObject({ tool_calls: [{ id: first?.id }, { id: second?.id }] });
    expect(toolMessages(messages).map((m) => m.tool_call_id)).toStrictEqual([
      first?.id,
      second?.id,
    ]);
    expect(validRequest(messages)).toStrictEqual([]);
  });

  it("says a quirk every call of a turn has once, not once per call (Ollama, vLLM)", () => {
    const calls = Array.from({ length: 200 }, (_, i) => [i, `chatcmpl-tool-${"x".repeat(30)}${i}`]);
    const ollama = openaiChat().toBatch(completion(calls.map(() => fn(undefined, "a", { x: 1 }))));
    expect(ollama.warnings?.map((w) => w.code)).toStrictEqual([
      "arguments-object",
      "id-synthesized",
    ]);
    const vllm = openaiChat().toBatch(completion(calls.map(([, id]) => fn(String(id), "a", "{}"))));
    expect(vllm.warnings?.map((w) => w.code)).toStrictEqual(["id-too-long"]);
    expect(vllm.warnings?.[0]?.message).toContain(
      "Likewise for 199 more calls of this turn (each separately)",
    );
    const streamed = openaiChat().createStreamAssembler();
    for (const [i] of calls) {
      streamed.push(
        chunk([{ id: `call_${i}`, type: "function", function: { name: "a", arguments: "{}" } }]),
      );
      streamed.push(
        chunk([
          {
            index: 0,
            id: `call_r${i}`,
            type: "function",
            function: { name: "a", arguments: "{}" },
          },
        ]),
      );
    }
    streamed.push(chunk(undefined, "tool_calls"));
    const batch = streamed.finish();
    expect(batch.calls).toHaveLength(400);
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["index-missing", "index-reused"]);
  });

  it("warns about vendor ids over OpenAI's 40 characters instead of silently passing them on", () => {
    const id = `chatcmpl-tool-${"x".repeat(32)}`;
    const batch = openaiChat().toBatch(completion([fn(id, "a", "{}")]));
    expect(batch.calls[0]?.id).toBe(id);
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["id-too-long"]);
  });

  it("expands the multi_tool_use.parallel pseudo-call and answers it once, under its id", async () => {
    const args = JSON.stringify({
      tool_uses: [
        { recipient_name: "functions.get_weather", parameters: { city: "Paris" } },
        { recipient_name: "functions.get_weather", parameters: { city: "Rome" } },
      ],
    });
    const adapter = openaiChat();
    const batch = adapter.toBatch(
      completion([
        fn("call_wrap", "multi_tool_use.parallel", args),
        fn("call_2", "get_time", "{}"),
      ]),
    );
    expect(batch.calls.map((c) => [c.name, c.input, c.index])).toStrictEqual([
      ["get_weather", { city: "Paris" }, 0],
      ["get_weather", { city: "Rome" }, 1],
      ["get_time", {}, 2],
    ]);
    const weather = defineTool({
      name: "get_weather",
      description: "",
      input: z.object({ city: z.string() }),
      execute: ({ city }) => {
        if (city === "Rome") throw new Error("no data");
        return { c: 18 };
      },
    });
    const time = defineTool({
      name: "get_time",
      description: "",
      input: z.object({}),
      execute: () => "noon",
    });
    const messages = adapter.toFollowUp(batch, await executeBatch(batch, [weather, time]));
    const tools = toolMessages(messages);
    expect(tools.map((m) => m.tool_call_id)).toStrictEqual(["call_wrap", "call_2"]);
    expect(JSON.parse(tools[0]?.content as string)).toStrictEqual([
      { recipient_name: "functions.get_weather", output: { c: 18 } },
      {
        recipient_name: "functions.get_weather",
        error: 'Error (execution_failed): Tool "get_weather" failed: no data',
      },
    ]);
    expect(messages[0]).toMatchObject({ tool_calls: [{ id: "call_wrap" }, { id: "call_2" }] });
    expect(validRequest(messages)).toStrictEqual([]);
  });

  it("leaves a user tool named parallel alone when its arguments are not the wrapper's", () => {
    const batch = openaiChat().toBatch(completion([fn("call_1", "parallel", '{"jobs":2}')]));
    expect(batch.calls.map((c) => [c.name, c.input])).toStrictEqual([["parallel", { jobs: 2 }]]);
  });

  it.each(["length", "content_filter", null])(
    "treats finish_reason %j as an incomplete turn: nothing runs",
    async (reason) => {
      const batch = openaiChat().toBatch(
        completion([fn("call_1", "delete_file", '{"path":"/tmp/a')], { finish_reason: reason }),
      );
      expect(batch.complete).toBe(false);
      let ran = false;
      const tool = defineTool({
        name: "delete_file",
        description: "",
        input: jsonSchema({ type: "object" }),
        execute: () => {
          ran = true;
        },
      });
      const results = await executeBatch(batch, [tool]);
      expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual(["not_executed"]);
      expect(ran).toBe(false);
    },
  );

  it("keeps the turn's text and refusal in the echo, and drops response-only fields", () => {
    const adapter = openaiChat();
    const response = completion([fn("call_1", "a", "{}")], { content: "Let me check." });
    const message = response.choices[0]?.message as unknown as Record<string, unknown>;
    message.annotations = [];
    message.reasoning_content = "thinking...";
    const batch = adapter.toBatch(response);
    const [assistant] = adapter.toFollowUp(batch, [toolSuccess(batch.calls[0] as never, "x")]);
    expect(assistant).toStrictEqual({
      role: "assistant",
      content: "Let me check.",
      reasoning_content: "thinking...",
      tool_calls: [{ id: "call_1", type: "function", function: { name: "a", arguments: "{}" } }],
    });
  });

  it("reads the chosen choice when n > 1, and says clearly when it is missing", () => {
    const two = completion([], {
      choices: [0, 1].map((index) => ({
        index,
        finish_reason: "tool_calls" as const,
        logprobs: null,
        message: {
          role: "assistant" as const,
          content: null,
          refusal: null,
          tool_calls: [fn(`call_${index}`, "a", "{}") as never],
        },
      })),
    });
    expect(openaiChat({ choice: 1 }).toBatch(two).calls[0]?.id).toBe("call_1");
    expect(() => openaiChat({ choice: 2 }).toBatch(two)).toThrow(ChoiceNotFoundError);
    expect(() => openaiChat({ choice: 2 }).toBatch(two)).toThrow(/has no choice 2; it has 0, 1/);
  });

  it("answers custom (free-text) tool calls too, so the follow-up stays valid", () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(
      completion([{ id: "call_c", type: "custom", custom: { name: "sql", input: "SELECT 1" } }]),
    );
    expect(batch.calls[0]).toMatchObject({ name: "sql", input: "SELECT 1", rawInput: "SELECT 1" });
    const messages = adapter.toFollowUp(batch, [
      toolFailure(batch.calls[0] as never, "unknown_tool", "no sql tool"),
    ]);
    expect(toolMessages(messages)[0]?.content).toBe("Error (unknown_tool): no sql tool");
    expect(validRequest(messages)).toStrictEqual([]);
  });
});

describe("openaiChat toFollowUp", () => {
  it("writes results in call order even when tools finish in reverse, and refuses reordered results", async () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(
      completion([
        fn("call_1", "wait", '{"ms":3}'),
        fn("call_2", "wait", '{"ms":1}'),
        fn("call_3", "wait", '{"ms":2}'),
      ]),
    );
    const wait = defineTool({
      name: "wait",
      description: "",
      input: z.object({ ms: z.number() }),
      execute: async ({ ms }) => {
        for (let i = 0; i < ms * 3; i++) await new Promise((r) => setImmediate(r));
        return ms;
      },
    });
    const finished: string[] = [];
    const results = await executeBatch(batch, [wait], {
      onEvent: (e) => {
        if (e.type === "call-end") finished.push(e.call.id);
      },
    });
    expect(finished).toStrictEqual(["call_2", "call_3", "call_1"]);
    const messages = adapter.toFollowUp(batch, results);
    expect(toolMessages(messages).map((m) => [m.tool_call_id, m.content])).toStrictEqual([
      ["call_1", "3"],
      ["call_2", "1"],
      ["call_3", "2"],
    ]);
    expect(() => adapter.toFollowUp(batch, [...results].reverse())).toThrow(ResultMismatchError);
    expect(() => adapter.toFollowUp(batch, results.slice(0, 2))).toThrow(
      /has 3 call\(s\) but 2 result\(s\)/,
    );
  });

  it("refuses a batch whose calls were edited away from its turn", () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(completion([fn("call_1", "a", "{}"), fn("call_2", "b", "{}")]));
    const edited = { ...batch, calls: batch.calls.slice(0, 1) };
    expect(() => adapter.toFollowUp(edited, [toolSuccess(batch.calls[0] as never, 1)])).toThrow(
      ResultMismatchError,
    );
  });
});

describe("openaiChat stream assembler", () => {
  const assemble = (chunks: ReturnType<typeof chunk>[]) => {
    const assembler = openaiChat().createStreamAssembler();
    const reported = chunks.map((c) => assembler.push(c).map((call) => call.name));
    return { batch: assembler.finish(), reported };
  };

  it("reports a call complete when the next call starts, and the rest at the finish reason", () => {
    const { batch, reported } = assemble([
      chunk(undefined, null, { role: "assistant", content: null }),
      chunk([{ index: 0, id: "call_a", type: "function", function: { name: "a", arguments: "" } }]),
      chunk([{ index: 0, function: { arguments: '{"x":' } }]),
      chunk([{ index: 0, function: { arguments: "1}" } }]),
      chunk([{ index: 1, id: "call_b", type: "function", function: { name: "b", arguments: "" } }]),
      chunk([{ index: 1, function: { arguments: "{}" } }]),
      chunk(undefined, "tool_calls"),
    ]);
    expect(reported).toStrictEqual([[], [], [], [], ["a"], [], ["b"]]);
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual([
      ["call_a", "a", { x: 1 }],
      ["call_b", "b", {}],
    ]);
    expect(batch.turn.tool_calls).toStrictEqual([
      { id: "call_a", type: "function", function: { name: "a", arguments: '{"x":1}' } },
      { id: "call_b", type: "function", function: { name: "b", arguments: "{}" } },
    ]);
  });

  it("never completes a call early because its arguments already parse (vercel/ai#13137)", () => {
    const { reported } = assemble([
      chunk([
        {
          index: 0,
          id: "call_a",
          type: "function",
          function: { name: "a", arguments: '{"path":"/tmp"}' },
        },
      ]),
      chunk([{ index: 0, function: { arguments: "" } }]),
      chunk(undefined, "tool_calls"),
    ]);
    expect(reported).toStrictEqual([[], [], ["a"]]);
  });

  it("splits a reused index with a new id into two calls instead of merging {}{} (lmdeploy#3412)", () => {
    const { batch } = assemble([
      chunk([
        {
          index: 0,
          id: "call_A",
          type: "function",
          function: { name: "get_weather", arguments: "{}" },
        },
      ]),
      chunk([
        {
          index: 0,
          id: "call_B",
          type: "function",
          function: { name: "get_time", arguments: "{}" },
        },
      ]),
      chunk(undefined, "tool_calls"),
    ]);
    expect(batch.calls.map((c) => [c.id, c.name, c.input, c.inputError])).toStrictEqual([
      ["call_A", "get_weather", {}, undefined],
      ["call_B", "get_time", {}, undefined],
    ]);
    expect(batch.warnings?.map((w) => w.code)).toContain("index-reused");
  });

  it("assembles deltas without index (Ollama#7881) and with id: '' continuations (vLLM)", () => {
    const { batch } = assemble([
      chunk([{ id: "call_A", type: "function", function: { name: "a", arguments: '{"q":' } }]),
      chunk([{ id: "", function: { arguments: '"x"}' } }]),
      chunk([{ id: "call_B", type: "function", function: { name: "b", arguments: "{}" } }]),
      chunk(undefined, "stop"),
    ]);
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual([
      ["call_A", "a", { q: "x" }],
      ["call_B", "b", {}],
    ]);
    expect(batch.complete).toBe(true);
  });

  it("does not double arguments sent whole in the first delta", () => {
    const { batch } = assemble([
      chunk([
        { index: 0, id: "call_A", type: "function", function: { name: "a", arguments: '{"n":1}' } },
      ]),
      chunk(undefined, "tool_calls"),
    ]);
    expect(batch.calls[0]?.input).toStrictEqual({ n: 1 });
  });

  it("synthesizes short ids where the stream has none (the SDK helper makes 41-character ones)", () => {
    const { batch } = assemble([
      chunk([{ index: 0, type: "function", function: { name: "a", arguments: "{}" } }]),
      chunk(undefined, "tool_calls"),
    ]);
    expect(batch.calls[0]?.id).toMatch(PORTABLE_CALL_ID);
    expect(batch.calls[0]?.id.length).toBeLessThanOrEqual(40);
  });

  it("marks a stream cut off mid-call incomplete and hands over the partial call unrepaired", () => {
    const { batch, reported } = assemble([
      chunk([
        {
          index: 0,
          id: "call_A",
          type: "function",
          function: { name: "write_file", arguments: '{"path":"/etc/pa' },
        },
      ]),
    ]);
    expect(reported).toStrictEqual([[]]);
    expect(batch.complete).toBe(false);
    expect(batch.calls[0]?.inputError).toMatch(/not valid JSON/);
  });

  it("ignores other choices and usage-only chunks, and keeps streamed text", () => {
    const assembler = openaiChat().createStreamAssembler();
    assembler.push(chunk(undefined, null, { content: "Checking" }));
    assembler.push({
      ...chunk([{ index: 0, id: "other", function: { name: "x", arguments: "{}" } }]),
      choices: [
        { index: 1, delta: { tool_calls: [{ index: 0, id: "other" }] }, finish_reason: null },
      ],
    });
    assembler.push(
      chunk(
        [{ index: 0, id: "call_A", type: "function", function: { name: "a", arguments: "{}" } }],
        "tool_calls",
      ),
    );
    assembler.push({
      ...chunk(undefined),
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    const batch = assembler.finish();
    expect(batch.calls.map((c) => c.id)).toStrictEqual(["call_A"]);
    expect(batch.turn.content).toBe("Checking");
    expect(assembler.finish()).toBe(batch);
  });

  // Compatible servers answer 400 when an assistant tool-call message comes back without the
  // reasoning they streamed: DeepSeek, Kimi and GLM stream `reasoning_content`, OpenRouter
  // `reasoning` and `reasoning_details`, one entry in pieces that share its `index` (the shape of
  // charmbracelet/fantasy's TestOpenRouterCommon/gpt-5/multi_tool_streaming.yaml).
  const call = (index: number, id: string, name: string) => ({
    index,
    id,
    type: "function",
    function: { name, arguments: "{}" },
  });
  const compatibleTurns = {
    "DeepSeek reasoning_content": {
      chunks: [
        chunk(undefined, null, { role: "assistant", content: null, reasoning_content: "The user" }),
        chunk(undefined, null, { content: null, reasoning_content: " wants both." }),
        chunk([call(0, "call_a", "add"), call(1, "call_b", "multiply")]),
        chunk(undefined, "tool_calls"),
      ],
      message: { reasoning_content: "The user wants both." },
    },
    "OpenRouter reasoning and reasoning_details": {
      chunks: [
        chunk(undefined, null, {
          role: "assistant",
          content: "",
          reasoning: "**Executing",
          reasoning_details: [
            { type: "reasoning.summary", summary: "**Executing", format: "f1", index: 0 },
          ],
        }),
        chunk(undefined, null, {
          content: "",
          reasoning: " both**",
          reasoning_details: [{ type: "reasoning.summary", summary: " both**", index: 0 }],
        }),
        chunk(undefined, null, {
          content: "",
          reasoning: null,
          reasoning_details: [
            { type: "reasoning.encrypted", data: "gAAAA", format: "f1", index: 1, id: "rs_1" },
          ],
        }),
        chunk([call(0, "call_a", "add")]),
        chunk([call(1, "call_b", "multiply")], "tool_calls"),
      ],
      message: {
        content: "",
        reasoning: "**Executing both**",
        reasoning_details: [
          { type: "reasoning.summary", summary: "**Executing both**", format: "f1", index: 0 },
          { type: "reasoning.encrypted", data: "gAAAA", format: "f1", index: 1, id: "rs_1" },
        ],
      },
    },
  };

  it.each(Object.entries(compatibleTurns))(
    "echoes what a compatible server streamed beside the calls, as the unstreamed turn does: %s",
    (_name, { chunks, message }) => {
      const streamed = assemble(chunks).batch;
      const unstreamed = openaiChat().toBatch(
        completion(
          [call(0, "call_a", "add"), call(1, "call_b", "multiply")].map(
            ({ index: _index, ...wire }) => wire,
          ),
          { choices: undefined },
        ),
      );
      Object.assign(unstreamed.turn, message);
      const results = streamed.calls.map((c) => toolSuccess(c, "ok"));
      const [echo] = openaiChat().toFollowUp(streamed, results);
      expect(echo).toMatchObject(message);
      expect(echo).toStrictEqual(openaiChat().toFollowUp(unstreamed, results)[0]);
    },
  );

  it("keeps a __proto__ delta field as data, never as the message's prototype", () => {
    const { batch } = assemble([
      JSON.parse(
        '{"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"__proto__":{"polluted":true},"extra":{"__proto__":"x"}},"finish_reason":"stop"}]}',
      ),
    ]);
    expect(Object.getPrototypeOf(batch.turn)).toBe(Object.prototype);
    expect(Object.hasOwn(batch.turn, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("openaiChat tools and request options", () => {
  const weather = defineTool({
    name: "get_weather",
    description: "Weather",
    input: z.object({ city: z.string(), unit: z.enum(["c", "f"]).nullable() }),
    execute: () => null,
  });

  it("declares function tools, strict on request with additionalProperties: false", () => {
    expect(openaiChat().tools([weather])).toStrictEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: weather.inputSchema },
      },
    ]);
    const [strict] = openaiChat({ strict: true }).tools([weather]);
    expect(strict?.function.strict).toBe(true);
    expect(strict?.function.parameters).toMatchObject({
      additionalProperties: false,
      required: ["city", "unit"],
    });
  });

  it("refuses schemas strict mode would reject, saying where and why", () => {
    const optional = defineTool({
      name: "t",
      description: "",
      input: z.object({ a: z.string().optional() }),
      execute: () => null,
    });
    expect(() => openaiChat({ strict: true }).tools([optional])).toThrow(StrictSchemaError);
    expect(() => openaiChat({ strict: true }).tools([optional])).toThrow(
      /"a" are optional.*\.nullable\(\)/,
    );
    const allOf = defineTool({
      name: "u",
      description: "",
      input: {
        jsonSchema: {
          type: "object",
          properties: { x: { allOf: [{ type: "string" }] } },
          required: ["x"],
        },
      },
      execute: () => null,
    });
    expect(() => openaiChat({ strict: true }).tools([allOf])).toThrow(
      /at \/properties\/x "allOf" is not supported/,
    );
  });

  it("sends parallel_tool_calls only when it means something", () => {
    expect(openaiChat().requestOptions({ parallel: false })).toStrictEqual({
      parallel_tool_calls: false,
    });
    expect(openaiChat().requestOptions({ parallel: true })).toStrictEqual({
      parallel_tool_calls: true,
    });
    expect(openaiChat().requestOptions({ parallel: false, toolCount: 0 })).toStrictEqual({});
    const reasoning = openaiChat({ omitParallelToolCalls: true });
    expect(reasoning.requestOptions({ parallel: false })).toStrictEqual({});
    expect(reasoning.capabilities.parallelToggle).toBe("client-only");
  });

  it("refuses two tools of one name", () => {
    expect(() => openaiChat().tools([weather, weather])).toThrow(
      /Two tools are named "get_weather"/,
    );
  });
});

describe("openai tool count", () => {
  it("refuses more than 128 tools before OpenAI does (400 array_above_max_length)", async () => {
    const { TooManyToolsError, openaiResponses } = await import("../src/index.js");
    const tools = Array.from({ length: 129 }, (_, i) =>
      defineTool({ name: `t${i}`, description: "", input: z.object({}), execute: () => null }),
    );
    for (const adapter of [openaiChat(), openaiResponses()]) {
      expect(() => adapter.tools(tools)).toThrow(TooManyToolsError);
      expect(adapter.tools(tools.slice(0, 128))).toHaveLength(128);
    }
  });
});
