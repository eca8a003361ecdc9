import { readFileSync } from "node:fs";
import {
  loadRecordings,
  openaiChatWire,
  openaiResponsesWire,
  type Recording,
  rechunkText,
  sseTextReply,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";
import type { StreamAssembler, ToolCallBatch } from "@toolbatch/core";
import fc from "fast-check";
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterEach, describe, expect, it } from "vitest";
import { openaiChat, openaiResponses } from "../src/index.js";
import { chunk, completion } from "./support.js";

/** A recorded body the kit's loader does not return: the follow-up turn's answer (`i1`). */
const answerBody = (file: string) =>
  readFileSync(new URL(`../../contract/recordings/${file}`, import.meta.url), "utf8");
const chatStream = (file: string) =>
  openaiChatWire.parseStream({ format: "sse", text: answerBody(`openai-chat/${file}`) });
const responsesStream = (file: string) =>
  openaiResponsesWire.parseStream({ format: "sse", text: answerBody(`openai-responses/${file}`) });
const recording = (key: string) => loadRecordings().find((r) => r.key === key) as Recording;
const events = <Event>(rec: Recording, parse: (s: NonNullable<Recording["stream"]>) => Event[]) =>
  parse(rec.stream as NonNullable<Recording["stream"]>);

/** What the batch reads of the turn, the same streamed or not. */
const reading = (batch: ToolCallBatch) => ({
  text: batch.text,
  usage: batch.usage,
  stopReason: batch.stopReason,
});

/** The batch of a stream, and its text deltas as `textOf` gives them, joined. */
function assemble<Event>(assembler: StreamAssembler<Event>, stream: readonly Event[]) {
  let live = "";
  for (const event of stream) {
    live += assembler.textOf?.(event) ?? "";
    assembler.push(event);
  }
  return { batch: assembler.finish(), live };
}

/**
 * For any cut and merge of the stream's deltas (`rechunk` with random cuts), the assembled batch
 * reads `expected`, and the text deltas `textOf` gave, joined, are its text (unless the stream
 * carries its text whole in its items: the kit streams a Responses message as one item).
 */
function expectReadingForAnyCut<Event>(
  make: () => StreamAssembler<Event>,
  stream: readonly Event[],
  rechunk: (stream: readonly Event[], cuts: readonly number[]) => Event[],
  expected: ReturnType<typeof reading>,
  streamsText = true,
): void {
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const { batch, live } = assemble(make(), rechunk(stream, cuts));
      expect(reading(batch)).toStrictEqual(expected);
      if (streamsText) expect(live).toBe(expected.text ?? "");
    }),
    { numRuns: 40 },
  );
}

/** Chat content deltas joined and split anew (the kit's rechunk moves argument cuts only). */
const rechunkChatText = (stream: readonly ChatCompletionChunk[], cuts: readonly number[]) =>
  rechunkText(openaiChatWire.rechunk(stream, cuts), [...cuts].reverse(), {
    read(event) {
      const [choice, ...others] = event.choices;
      const delta = choice?.delta;
      if (!choice || others.length > 0 || choice.finish_reason || !delta) return undefined;
      if (typeof delta.content !== "string" || Object.keys(delta).length !== 1) return undefined;
      return { key: String(choice.index), text: delta.content };
    },
    write: (event, text) => ({
      ...event,
      choices: [{ ...(event.choices[0] as ChatCompletionChunk.Choice), delta: { content: text } }],
    }),
  });

/** Responses text deltas joined and split anew, besides the kit's argument cuts. */
const rechunkResponsesText = (stream: readonly ResponseStreamEvent[], cuts: readonly number[]) =>
  rechunkText(openaiResponsesWire.rechunk(stream, cuts), [...cuts].reverse(), {
    read: (event) =>
      event.type === "response.output_text.delta"
        ? { key: `${event.output_index}:${event.content_index}`, text: event.delta }
        : undefined,
    write: (event, text) => ({ ...event, delta: text }) as ResponseStreamEvent,
  });

/** The usage-only chunk OpenAI ends a stream with when the request asks for it. */
const usageChunk = (whole: ChatCompletion): ChatCompletionChunk => ({
  id: whole.id,
  object: "chat.completion.chunk",
  created: whole.created,
  model: whole.model,
  choices: [],
  ...(whole.usage ? { usage: whole.usage } : {}),
});

const finalChatAnswer = JSON.parse(
  answerBody("openai-chat/oc1__i1.response.json"),
) as ChatCompletion;
const finalResponsesAnswer = JSON.parse(
  answerBody("openai-responses/or1__i1.response.json"),
) as Response;

describe("openaiChat reads a turn's text, usage and stop reason", () => {
  it("reads a recorded turn of calls alone (oc1): exact usage, no text", () => {
    const batch = openaiChat().toBatch(openaiChatWire.response(recording("oc1")));
    expect(reading(batch)).toStrictEqual({
      text: undefined,
      usage: {
        inputTokens: 194,
        outputTokens: 315,
        cachedInputTokens: 0,
        reasoningTokens: 256,
        totalTokens: 509,
      },
      stopReason: "tool_calls",
    });
    expect("text" in batch).toBe(false);
  });

  it("reads a recorded streamed answer (oc2's follow-up, include_usage): text and usage chunk", () => {
    const { batch, live } = assemble(
      openaiChat().createStreamAssembler(),
      chatStream("oc2__i1.response.sse"),
    );
    expect(reading(batch)).toStrictEqual({
      text: "The sum of 2 and 3 is 5, and the product is 6.",
      usage: {
        inputTokens: 172,
        outputTokens: 20,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 192,
      },
      stopReason: "stop",
    });
    expect(live).toBe(batch.text);
  });

  it("keeps a recorded stream's text and usage for any cut and merge of its deltas (property)", () => {
    const streams = [
      chatStream("oc2__i1.response.sse"),
      chatStream("oc3__i1.response.sse"),
      ...["oc2", "oc3", "oc4", "oc6"].map((key) =>
        events(recording(key), openaiChatWire.parseStream),
      ),
    ];
    for (const stream of streams) {
      const reference = reading(assemble(openaiChat().createStreamAssembler(), stream).batch);
      expect(reference.usage).toBeDefined();
      expectReadingForAnyCut(
        () => openaiChat().createStreamAssembler(),
        stream,
        rechunkChatText,
        reference,
      );
    }
  });

  it("reads the same text and usage from a completion and from the same turn streamed (property)", () => {
    for (const whole of [
      openaiChatWire.response(recording("oc1")),
      openaiChatWire.response(recording("oc5")),
      finalChatAnswer,
    ]) {
      const unstreamed = reading(openaiChat().toBatch(whole));
      const stream = [...openaiChatWire.streamOf(whole), usageChunk(whole)];
      expectReadingForAnyCut(
        () => openaiChat().createStreamAssembler(),
        stream,
        rechunkChatText,
        unstreamed,
      );
    }
  });

  it("has no usage for a stream the request did not ask usage of (stream_options.include_usage)", () => {
    const { batch } = assemble(
      openaiChat().createStreamAssembler(),
      openaiChatWire.streamOf(finalChatAnswer),
    );
    expect(batch.usage).toBeUndefined();
    expect(batch.text).toBe(finalChatAnswer.choices[0]?.message.content);
  });

  it("keeps reasoning_content and a refusal out of the text, streamed or not", () => {
    const reasoned = completion([], { finish_reason: "stop", content: "Paris." });
    const message = reasoned.choices[0]?.message as unknown as Record<string, unknown>;
    message.reasoning_content = "The capital of France is Paris.";
    const refused = completion([], { finish_reason: "stop" });
    (refused.choices[0] as ChatCompletion.Choice).message.refusal = "I can't help with that.";
    for (const [whole, text] of [
      [reasoned, "Paris."],
      [refused, undefined],
    ] as const) {
      const streamed = assemble(
        openaiChat().createStreamAssembler(),
        openaiChatWire.streamOf(whole),
      );
      expect(openaiChat().toBatch(whole).text).toBe(text);
      expect(streamed.batch.text).toBe(text);
      expect(streamed.live).toBe(text ?? "");
    }
  });

  it("reads the text deltas of the chosen choice only, and counts a compatible server's usage on the finish chunk", () => {
    const assembler = openaiChat({ choice: 1 }).createStreamAssembler();
    const two = chunk(undefined, null, { content: "zero" });
    const other = { ...two, choices: [{ ...two.choices[0], index: 1, delta: { content: "one" } }] };
    expect(assembler.textOf?.(two as ChatCompletionChunk)).toBeUndefined();
    expect(assembler.textOf?.(other as ChatCompletionChunk)).toBe("one");
    const last = {
      ...chunk(undefined, "stop"),
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const single = openaiChat().createStreamAssembler();
    single.push(last);
    expect(single.finish().usage).toStrictEqual({
      inputTokens: 3,
      outputTokens: 2,
      totalTokens: 5,
    });
  });
});

describe("openaiResponses reads a turn's text, usage and stop reason", () => {
  it("reads a recorded turn of reasoning and calls (or1): exact usage, no text", () => {
    const batch = openaiResponses().toBatch(openaiResponsesWire.response(recording("or1")));
    expect(reading(batch)).toStrictEqual({
      text: undefined,
      usage: {
        inputTokens: 113,
        outputTokens: 305,
        cachedInputTokens: 0,
        reasoningTokens: 192,
        totalTokens: 418,
      },
      stopReason: "completed",
    });
  });

  it("reads a recorded streamed answer (or2's follow-up): text deltas and response.completed's usage", () => {
    const { batch, live } = assemble(
      openaiResponses().createStreamAssembler(),
      responsesStream("or2__i1.response.sse"),
    );
    expect(reading(batch)).toStrictEqual({
      text: "Results:\n- Addition (2 + 3) = 5\n- Multiplication (2 × 3) = 6",
      usage: {
        inputTokens: 167,
        outputTokens: 30,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 197,
      },
      stopReason: "completed",
    });
    expect(live).toBe(batch.text);
  });

  it("keeps a recorded stream's text and usage for any cut and merge of its deltas (property)", () => {
    const streams = [
      responsesStream("or2__i1.response.sse"),
      responsesStream("or3__i1.response.sse"),
      ...["or2", "or3"].map((key) => events(recording(key), openaiResponsesWire.parseStream)),
    ];
    for (const stream of streams) {
      const reference = reading(assemble(openaiResponses().createStreamAssembler(), stream).batch);
      expect(reference.usage).toBeDefined();
      expectReadingForAnyCut(
        () => openaiResponses().createStreamAssembler(),
        stream,
        rechunkResponsesText,
        reference,
      );
    }
  });

  it("reads the same text and usage from a response and from the same turn streamed (property)", () => {
    const wholes = [
      ...["or1", "or5", "or6"].map((key) => openaiResponsesWire.response(recording(key))),
      finalResponsesAnswer,
    ];
    for (const whole of wholes) {
      const unstreamed = reading(openaiResponses().toBatch(whole));
      expectReadingForAnyCut(
        () => openaiResponses().createStreamAssembler(),
        openaiResponsesWire.streamOf(whole),
        openaiResponsesWire.rechunk,
        unstreamed,
        false,
      );
    }
  });

  it("keeps reasoning summaries and refusals out of the text, and joins output_text parts in order", () => {
    const whole = {
      ...finalResponsesAnswer,
      output: [
        { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "Adding up." }] },
        {
          id: "msg_1",
          type: "message",
          role: "assistant",
          status: "completed",
          content: [
            { type: "output_text", text: "5 and ", annotations: [] },
            { type: "refusal", refusal: "No more." },
            { type: "output_text", text: "6.", annotations: [] },
          ],
        },
      ],
    } as unknown as Response;
    expect(openaiResponses().toBatch(whole).text).toBe("5 and 6.");
    const assembler = openaiResponses().createStreamAssembler();
    const reasoningDelta = { type: "response.reasoning_summary_text.delta", delta: "Adding" };
    expect(assembler.textOf?.(reasoningDelta as ResponseStreamEvent)).toBeUndefined();
  });
});

describe("reading a turn through the real openai SDK, against the loopback server", () => {
  let server: VendorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const sdk = (s: VendorServer) => new OpenAI({ apiKey: "test", baseURL: s.url, maxRetries: 0 });

  it("chat.completions.stream with include_usage: the assembler reads what finalChatCompletion() does", async () => {
    const body = answerBody("openai-chat/oc3__i1.response.sse");
    server = await startVendorServer({ replies: [sseTextReply(body, { chunkBytes: 7 })] });
    const stream = sdk(server).chat.completions.stream({
      model: "gpt-5",
      messages: [{ role: "user", content: "hi" }],
      stream_options: { include_usage: true },
    });
    const { batch, live } = await assembleAsync(openaiChat().createStreamAssembler(), stream);
    expect(reading(batch)).toStrictEqual(
      reading(openaiChat().toBatch(await stream.finalChatCompletion())),
    );
    expect(batch.text).toBe("Addition: 2 + 3 = 5\nMultiplication: 2 × 3 = 6");
    expect(batch.usage).toStrictEqual({
      inputTokens: 262,
      outputTokens: 25,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      totalTokens: 287,
    });
    expect(live).toBe(batch.text);
  });

  it("responses.stream: the assembler reads what finalResponse() does", async () => {
    const body = answerBody("openai-responses/or3__i1.response.sse");
    server = await startVendorServer({ replies: [sseTextReply(body, { chunkBytes: 7 })] });
    const stream = sdk(server).responses.stream({ model: "gpt-4o", input: "hi" });
    const { batch, live } = await assembleAsync(openaiResponses().createStreamAssembler(), stream);
    expect(reading(batch)).toStrictEqual(
      reading(openaiResponses().toBatch(await stream.finalResponse())),
    );
    expect(batch.text).toBe("The sum of 2 and 3 is 5, and their product is 6.");
    expect(batch.usage).toStrictEqual({
      inputTokens: 150,
      outputTokens: 21,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      totalTokens: 171,
    });
    expect(live).toBe(batch.text);
  });
});

/** `assemble` over an SDK's stream. */
async function assembleAsync<Event>(
  assembler: StreamAssembler<Event>,
  stream: AsyncIterable<Event>,
) {
  let live = "";
  for await (const event of stream) {
    live += assembler.textOf?.(event) ?? "";
    assembler.push(event);
  }
  return { batch: assembler.finish(), live };
}
