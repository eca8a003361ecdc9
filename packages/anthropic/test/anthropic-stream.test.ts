import type {
  ContentBlock,
  Message,
  MessageStreamEvent,
  StopReason,
} from "@anthropic-ai/sdk/resources/messages";
import { anthropicWire, loadRecordings, type Recording } from "@toolbatch/contract";
import type { ToolCall, ToolCallBatch } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropic } from "../src/index.js";
import {
  message,
  specProblems,
  streamOf,
  text,
  thinking,
  toolUse,
  webSearch,
  webSearchResult,
} from "./support.js";

/** Every event through a new assembler: what each push reported, and the batch. */
function assemble(events: readonly MessageStreamEvent[]) {
  const assembler = anthropic().createStreamAssembler();
  const reports = events.map((event) => assembler.push(event));
  return { reports, batch: assembler.finish() };
}

/** A batch without what only a stream knows: the raw input text the calls arrived as. */
const withoutRawInput = (batch: ToolCallBatch) => ({
  ...batch,
  calls: batch.calls.map(({ rawInput: _raw, ...call }): ToolCall => call),
});

const turns: Record<string, Message> = {
  "text and two calls": message([
    text("Checking both."),
    toolUse("toolu_A", "get_weather", { city: "Paris", units: ["c", "f"] }),
    toolUse("toolu_B", "get_weather", { city: 'Tōkyō "quoted" \\ back' }),
  ]),
  "thinking, interleaved, with a tool without parameters": message([
    thinking("They want the weather and the time.", "EqQBCkYIBxgCKkDl7v"),
    { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" },
    toolUse("toolu_A", "get_time"),
    thinking("Now the weather.", "sig-2"),
    toolUse("toolu_B", "get_weather", { city: "Oslo" }),
  ]),
  "server tool with its result, then a client call": message([
    webSearch("srvtoolu_01", "weather Paris"),
    webSearchResult("srvtoolu_01"),
    text("Found it; converting."),
    toolUse("toolu_A", "convert", { from: "c", to: "f", value: 18.5 }),
  ]),
  "end_turn without calls": message([text("Nothing to do.")], "end_turn"),
};

describe("anthropic stream assembler", () => {
  it.each(Object.entries(turns))(
    "assembles %s into the unstreamed turn and batch, for any chunking (property)",
    (_name, whole) => {
      const unstreamed = anthropic().toBatch(whole);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.boolean(), (cuts, pings) => {
          const { batch } = assemble(streamOf(whole, cuts, pings));
          expect(batch.turn).toStrictEqual(whole);
          expect(withoutRawInput(batch)).toStrictEqual(unstreamed);
        }),
      );
    },
  );

  it("reports each call after its content_block_stop, once the turn has moved on (property)", () => {
    const whole = turns["thinking, interleaved, with a tool without parameters"] as Message;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        const events = streamOf(whole, cuts, true);
        const { reports, batch } = assemble(events);
        const reported = reports.flat();
        expect(reported).toStrictEqual(batch.calls);
        reports.forEach((calls, at) => {
          const event = events[at] as MessageStreamEvent;
          if (calls.length > 0)
            expect(["content_block_start", "message_delta"]).toContain(event.type);
          for (const call of calls) {
            const blockIndex = whole.content.findIndex(
              (block) => block.type === "tool_use" && block.id === call.id,
            );
            const stopAt = events.findIndex(
              (e) => e.type === "content_block_stop" && e.index === blockIndex,
            );
            expect(at).toBeGreaterThan(stopAt);
          }
        });
      }),
    );
  });

  it('gives a tool that streams no input {} and no raw text, and input_json_delta "" {} too', () => {
    const events = streamOf(message([toolUse("toolu_A", "get_time")]));
    expect(events.some((e) => e.type === "content_block_delta")).toBe(false);
    const { batch } = assemble(events);
    expect(batch.calls).toStrictEqual([{ id: "toolu_A", name: "get_time", input: {}, index: 0 }]);

    const withEmpty = events.flatMap((event): MessageStreamEvent[] =>
      event.type === "content_block_stop"
        ? [
            {
              type: "content_block_delta",
              index: 0,
              delta: { type: "input_json_delta", partial_json: "" },
            },
            event,
          ]
        : [event],
    );
    expect(assemble(withEmpty).batch.calls).toStrictEqual([
      { id: "toolu_A", name: "get_time", input: {}, rawInput: "", index: 0 },
    ]);
  });

  it("ignores pings and event types it does not know, wherever they come", () => {
    const whole = turns["text and two calls"] as Message;
    const noise = [
      { type: "ping" },
      { type: "future_event", index: 1, payload: {} },
    ] as unknown as MessageStreamEvent[];
    const events = streamOf(whole, [3, 7]).flatMap((event) => [...noise, event]);
    const { reports, batch } = assemble(events);
    expect(batch.turn).toStrictEqual(whole);
    expect(reports.flat().map((call) => call.id)).toStrictEqual(["toolu_A", "toolu_B"]);
  });

  it.each(["max_tokens", "model_context_window_exceeded"] as const)(
    "never reports a trailing call cut by %s, and makes the batch incomplete",
    (reason: StopReason) => {
      const whole = message(
        [toolUse("toolu_A", "get_time"), toolUse("toolu_B", "write_file", { path: "/tmp/a" })],
        reason,
      );
      const { reports, batch } = assemble(streamOf(whole, [5]));
      expect(reports.flat().map((call) => call.id)).toStrictEqual(["toolu_A"]);
      expect(batch.complete).toBe(false);
      expect(batch.calls.map((call) => call.id)).toStrictEqual(["toolu_A", "toolu_B"]);
    },
  );

  it("reports nothing of a paused turn's trailing call", () => {
    const whole = message(
      [webSearch("srvtoolu_01", "q"), toolUse("toolu_A", "get_time")],
      "pause_turn",
    );
    const { reports, batch } = assemble(streamOf(whole));
    expect(reports.flat()).toStrictEqual([]);
    expect(batch).toMatchObject({ complete: false, stopReason: "pause_turn" });
  });

  it("keeps what arrived of a stream cut off mid-call, incomplete, with the call answerable", () => {
    const events = streamOf(turns["text and two calls"] as Message, [9]);
    const cutAt = events.map((e) => e.type).lastIndexOf("content_block_delta");
    const { reports, batch } = assemble(events.slice(0, cutAt));
    expect(batch.complete).toBe(false);
    expect(batch.stopReason).toBeUndefined();
    expect(reports.flat().map((call) => call.id)).toStrictEqual(["toolu_A"]);
    const cut = batch.calls[1];
    expect(cut).toMatchObject({ id: "toolu_B", input: {} });
    expect(cut?.inputError).toMatch(/not valid JSON/);
    const adapter = anthropic();
    const followUp = adapter.toFollowUp(
      batch as ToolCallBatch<Message>,
      batch.calls.map((call) => ({
        callId: call.id,
        name: call.name,
        ok: false as const,
        error: { code: "not_executed" as const, message: "cut off" },
      })),
    );
    expect(specProblems(followUp)).toStrictEqual([]);
  });

  it("warns about fragments that arrive after a block stopped, and ignores them", () => {
    const events = streamOf(message([toolUse("toolu_A", "get_weather", { city: "Rome" })]));
    const stopAt = events.findIndex((e) => e.type === "content_block_stop");
    events.splice(stopAt + 1, 0, {
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json: "{}" },
    });
    const { batch } = assemble(events);
    expect(batch.calls[0]?.input).toStrictEqual({ city: "Rome" });
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["fragment-after-complete"]);
  });

  it("returns the same batch from every finish()", () => {
    const assembler = anthropic().createStreamAssembler();
    for (const event of streamOf(turns["text and two calls"] as Message)) assembler.push(event);
    expect(assembler.finish()).toBe(assembler.finish());
  });

  it("reads the recorded stream an2, pings included, like the recording says", () => {
    const recording = loadRecordings("anthropic").find((r) => r.key === "an2") as Recording;
    const raw = (recording.stream?.text ?? "")
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as MessageStreamEvent);
    expect(raw.some((event) => (event as { type: string }).type === "ping")).toBe(true);
    const { batch } = assemble(raw);
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual(
      recording.expected.calls.map((c) => [c.id, c.name, c.input]),
    );
    expect(assemble(anthropicWire.parseStream(recording.stream as never)).batch.turn).toStrictEqual(
      batch.turn,
    );
    const content = batch.turn.content as ContentBlock[];
    expect(content.map((block) => block.type)).toStrictEqual(["text", "tool_use", "tool_use"]);
  });
});
