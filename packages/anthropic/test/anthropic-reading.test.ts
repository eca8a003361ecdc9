import { readFileSync } from "node:fs";
import type { Message, MessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import {
  anthropicWire,
  loadRecordings,
  type Recording,
  rechunkText,
  sseTextReply,
} from "@toolbatch/contract";
import type { StreamAssembler, ToolCallBatch } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropic } from "../src/index.js";
import { anthropicServer, message, streamOf, text, thinking, toolUse } from "./support.js";

/** A recorded body the kit's loader does not return: the follow-up turn's answer (`i1`). */
const answerBody = (file: string) =>
  readFileSync(new URL(`../../contract/recordings/anthropic/${file}`, import.meta.url), "utf8");
const recording = (key: string) => loadRecordings().find((r) => r.key === key) as Recording;
const recordedStream = (file: string) =>
  anthropicWire.parseStream({ format: "sse", text: answerBody(file) });

/** What the batch reads of the turn, the same streamed or not. */
const reading = (batch: ToolCallBatch) => ({
  text: batch.text,
  usage: batch.usage,
  stopReason: batch.stopReason,
});

/** The batch of a stream, and its text deltas as `textOf` gives them, joined. */
function assemble(
  assembler: StreamAssembler<MessageStreamEvent>,
  stream: readonly MessageStreamEvent[],
) {
  let live = "";
  for (const event of stream) {
    live += assembler.textOf?.(event) ?? "";
    assembler.push(event);
  }
  return { batch: assembler.finish(), live };
}

/** Text deltas joined and split anew, besides the kit's cuts of tool input. */
const rechunk = (stream: readonly MessageStreamEvent[], cuts: readonly number[]) =>
  rechunkText(anthropicWire.rechunk(stream, cuts), [...cuts].reverse(), {
    read: (event) =>
      event.type === "content_block_delta" && event.delta.type === "text_delta"
        ? { key: String(event.index), text: event.delta.text }
        : undefined,
    write: (event, value) =>
      ({ ...event, delta: { type: "text_delta", text: value } }) as MessageStreamEvent,
  });

/** For any cut and merge of the stream's deltas, the batch reads `expected`; `textOf` gives its text. */
function expectReadingForAnyCut(
  stream: readonly MessageStreamEvent[],
  expected: ReturnType<typeof reading>,
): void {
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const { batch, live } = assemble(anthropic().createStreamAssembler(), rechunk(stream, cuts));
      expect(reading(batch)).toStrictEqual(expected);
      expect(live).toBe(expected.text ?? "");
    }),
    { numRuns: 40 },
  );
}

describe("anthropic reads a turn's text, usage and stop reason", () => {
  it("reads a recorded turn (an1): its text block, exact usage, tool_use", () => {
    const batch = anthropic().toBatch(recording("an1").response as Message);
    expect(reading(batch)).toStrictEqual({
      text: "I'll add and multiply the numbers 2 and 3 for you.",
      usage: { inputTokens: 507, outputTokens: 137, cachedInputTokens: 0 },
      stopReason: "tool_use",
    });
  });

  it("reads a recorded stream (an2): message_start's usage under message_delta's counts", () => {
    const { batch, live } = assemble(
      anthropic().createStreamAssembler(),
      anthropicWire.parseStream(recording("an2").stream as NonNullable<Recording["stream"]>),
    );
    expect(reading(batch)).toStrictEqual({
      text: "I'll add and multiply the numbers 2 and 3 for you.",
      // message_start said output_tokens 4, message_delta 137: the cumulative count wins.
      usage: { inputTokens: 502, outputTokens: 137, cachedInputTokens: 0 },
      stopReason: "tool_use",
    });
    expect(live).toBe(batch.text);
  });

  it("keeps a recorded stream's text and usage for any cut and merge of its deltas (property)", () => {
    const streams = [
      anthropicWire.parseStream(recording("an2").stream as NonNullable<Recording["stream"]>),
      recordedStream("an2__i1.response.sse"),
    ];
    for (const stream of streams) {
      const reference = reading(assemble(anthropic().createStreamAssembler(), stream).batch);
      expect(reference.usage).toBeDefined();
      expectReadingForAnyCut(stream, reference);
    }
  });

  it("reads the same text and usage from a message and from the same turn streamed (property)", () => {
    const answer = JSON.parse(answerBody("an1__i1.response.json")) as Message;
    const wholes = [recording("an1").response, recording("an3").response, answer] as Message[];
    for (const whole of wholes) {
      const unstreamed = reading(anthropic().toBatch(whole));
      expect(unstreamed.usage).toBeDefined();
      expectReadingForAnyCut(streamOf(whole), unstreamed);
    }
  });

  it("counts cache reads and writes as input, reads as cached, and thinking tokens as reasoning", () => {
    const whole = message([thinking("Two cities.", "sig-1"), text("Checking.")]);
    const cached = {
      ...whole,
      usage: {
        ...whole.usage,
        input_tokens: 12,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 2000,
        output_tokens: 90,
        output_tokens_details: { thinking_tokens: 60 },
      },
    } as Message;
    const expected = {
      inputTokens: 2112,
      outputTokens: 90,
      cachedInputTokens: 2000,
      reasoningTokens: 60,
    };
    expect(anthropic().toBatch(cached).usage).toStrictEqual(expected);
    expect(
      assemble(anthropic().createStreamAssembler(), streamOf(cached)).batch.usage,
    ).toStrictEqual(expected);
  });

  it("keeps thinking out of the text, and joins text blocks around calls in order", () => {
    const whole = message([
      thinking("Paris first.", "sig-1"),
      text("Paris: "),
      toolUse("toolu_A", "get_weather", { city: "Paris" }),
      text("checking."),
    ]);
    const streamed = assemble(anthropic().createStreamAssembler(), streamOf(whole, [3, 7]));
    expect(anthropic().toBatch(whole).text).toBe("Paris: checking.");
    expect(streamed.batch.text).toBe("Paris: checking.");
    expect(streamed.live).toBe("Paris: checking.");
  });

  it("has no text for a turn of calls alone, and no usage for a stream cut before message_start", () => {
    const calls = message([toolUse("toolu_A", "get_time")]);
    expect("text" in anthropic().toBatch(calls)).toBe(false);
    const { batch } = assemble(anthropic().createStreamAssembler(), streamOf(calls).slice(1));
    expect(batch.usage).toStrictEqual({ inputTokens: 0, outputTokens: 20 });
    expect(assemble(anthropic().createStreamAssembler(), []).batch.usage).toBeUndefined();
  });
});

describe("reading a turn through the real @anthropic-ai/sdk, against the loopback server", () => {
  it("messages.stream: the assembler reads what finalMessage() does, and textOf the live text", async () => {
    const body = answerBody("an2__i1.response.sse");
    const { client } = await anthropicServer([sseTextReply(body, { chunkBytes: 7 })]);
    const stream = client.messages.stream({
      model: "claude-sonnet-4",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    const assembler = anthropic().createStreamAssembler();
    let live = "";
    for await (const event of stream) {
      live += assembler.textOf?.(event) ?? "";
      assembler.push(event);
    }
    const batch = assembler.finish();
    expect(reading(batch)).toStrictEqual(reading(anthropic().toBatch(await stream.finalMessage())));
    expect(reading(batch)).toStrictEqual({
      text: "The results are:\n- 2 + 3 = 5\n- 2 × 3 = 6",
      usage: { inputTokens: 700, outputTokens: 31, cachedInputTokens: 0 },
      stopReason: "end_turn",
    });
    expect(live).toBe(batch.text);
  });
});
