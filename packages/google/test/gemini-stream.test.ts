import type { GenerateContentResponse, Part } from "@google/genai";
import { assembleStream, geminiWire, type Recording } from "@toolbatch/contract";
import { executeBatch, type ToolCall, toolSuccess } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonPath } from "../src/apply-partial-args.js";
import { googleGenAI } from "../src/index.js";
import { arithmetic, call, countingIds, recording, response } from "./support.js";

const SIGNATURE = "CiQBjz1rX0ilc2lnbmF0dXJl";
const chunks = (key: string) =>
  geminiWire.parseStream(recording(key).stream as NonNullable<Recording["stream"]>);

/** A Vertex streamed-arguments part. */
const partial = (
  pieces: Record<string, unknown>[],
  more: boolean | undefined,
  extra: Record<string, unknown> = {},
): Part => ({
  functionCall: {
    ...extra,
    ...(pieces.length > 0 ? { partialArgs: pieces } : {}),
    ...(more === undefined ? {} : { willContinue: more }),
  },
});

/** Pushes each chunk, recording after which chunk each call was reported. */
function pushAll(events: readonly GenerateContentResponse[], adapter = googleGenAI()) {
  const assembler = adapter.createStreamAssembler();
  const reportedAt: [number, string][] = [];
  events.forEach((event, at) => {
    for (const reported of assembler.push(event)) reportedAt.push([at, reported.name]);
  });
  return { batch: assembler.finish(), reportedAt };
}

describe("Gemini stream assembly", () => {
  it("reads both calls of one chunk (gm2) and reports them with that chunk", () => {
    const { batch, reportedAt } = pushAll(chunks("gm2"));
    expect(reportedAt).toStrictEqual([
      [0, "add"],
      [0, "multiply"],
    ]);
    expect(batch.complete).toBe(true);
  });

  it("reports each call with the chunk that brought its part (gm4), ids and signature kept", () => {
    const { batch, reportedAt } = pushAll(chunks("gm4"));
    expect(reportedAt).toStrictEqual([
      [0, "add"],
      [1, "multiply"],
    ]);
    expect(batch.calls.map((c) => c.id)).toStrictEqual(["8hd01vsf", "k0srpqrc"]);
    // The trailing { text: "" } has no signature: nothing to keep.
    expect(batch.turn.parts?.map((p) => Object.keys(p))).toStrictEqual([
      ["functionCall", "thoughtSignature"],
      ["functionCall"],
    ]);
  });

  it("assembles the turn toFollowUp echoes, signatures on the same parts as unstreamed", async () => {
    const adapter = googleGenAI();
    const streamed = pushAll(chunks("gm3"), adapter).batch;
    const whole = recording("gm3");
    const followUp = adapter.toFollowUp(streamed, await executeBatch(streamed, arithmetic));
    const recorded = geminiWire.recordedFollowUp(whole) ?? [];
    expect(geminiWire.comparable(followUp)).toStrictEqual(geminiWire.comparable(recorded));
  });

  it("assembles Vertex streamed arguments (gm8): one whole part per call, reported at its closing part", () => {
    const events = chunks("gm8");
    const { batch, reportedAt } = pushAll(events);
    expect(reportedAt).toStrictEqual([
      [3, "getWeather"],
      [7, "getWeather"],
    ]);
    expect(batch.complete).toBe(true);
    expect(batch.calls.map((c) => c.input)).toStrictEqual([
      { location: "Boston" },
      { location: "San Francisco" },
    ]);
    const first = events[0]?.candidates?.[0]?.content?.parts?.[0];
    expect(batch.turn.parts).toStrictEqual([
      {
        functionCall: { name: "getWeather", args: { location: "Boston" } },
        thoughtSignature: first?.thoughtSignature,
      },
      { functionCall: { name: "getWeather", args: { location: "San Francisco" } } },
    ]);
    // What the SDK refuses to send to the Gemini API is gone from the echo.
    expect(JSON.stringify(batch.turn)).not.toMatch(/partialArgs|willContinue/);
  });

  it("builds nested, numeric, boolean and null arguments from their JSON paths", () => {
    const { batch } = pushAll([
      response([partial([], true, { name: "plan", id: "fc_9" })], { finishReason: null }),
      response(
        [
          partial(
            [
              { jsonPath: "$.stops[0].city", stringValue: "Par", willContinue: true },
              { jsonPath: "$.stops[0].city", stringValue: "is" },
              { jsonPath: "$.stops[1]['city name']", stringValue: "Rome" },
              { jsonPath: "$.days", numberValue: 3 },
              { jsonPath: "$.flexible", boolValue: true },
              { jsonPath: "$.note", nullValue: "NULL_VALUE" },
              { jsonPath: "$.__proto__", stringValue: "plain key" },
            ],
            true,
          ),
        ],
        { finishReason: null },
      ),
      response([partial([], undefined)]),
    ]);
    const input = batch.calls[0]?.input as Record<string, unknown>;
    expect(input).toStrictEqual(
      Object.defineProperty(
        {
          stops: [{ city: "Paris" }, { "city name": "Rome" }],
          days: 3,
          flexible: true,
          note: null,
        },
        "__proto__",
        { value: "plain key", enumerable: true, writable: true, configurable: true },
      ),
    );
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(batch.calls[0]?.id).toBe("fc_9");
  });

  it("reads a call whose pieces all came in one part, without willContinue, as complete", () => {
    const { batch, reportedAt } = pushAll([
      response([partial([{ jsonPath: "$.city", stringValue: "Oslo" }], undefined, { name: "w" })]),
    ]);
    expect(reportedAt).toStrictEqual([[0, "w"]]);
    expect(batch.complete).toBe(true);
    expect(batch.turn.parts).toStrictEqual([
      { functionCall: { name: "w", args: { city: "Oslo" } } },
    ]);
  });

  it("marks a streamed call that never closes incomplete, and keeps what arrived of it", () => {
    const { batch, reportedAt } = pushAll([
      response(
        [
          partial([{ jsonPath: "$.city", stringValue: "Bos", willContinue: true }], true, {
            name: "w",
          }),
        ],
        { finishReason: null },
      ),
    ]);
    expect(reportedAt).toStrictEqual([]);
    expect(batch.complete).toBe(false);
    expect(batch.calls.map((c) => c.input)).toStrictEqual([{ city: "Bos" }]);
    expect(batch.warnings?.map((w) => w.code)).toContain("call-unterminated");
  });

  it("closes a streamed call whose closing part was lost when another call starts", () => {
    const { batch, reportedAt } = pushAll([
      response([partial([{ jsonPath: "$.a", numberValue: 1 }], true, { name: "first" })], {
        finishReason: null,
      }),
      response([call("second", { b: 2 })]),
    ]);
    expect(reportedAt).toStrictEqual([
      [1, "first"],
      [1, "second"],
    ]);
    expect(batch.complete).toBe(false);
  });

  it("is incomplete when the stream ends without a finishReason, and skips other candidates", () => {
    const { batch } = pushAll([
      {
        candidates: [
          { index: 1, content: { role: "model", parts: [call("other", {})] } },
          { content: { role: "model", parts: [call("mine", {})] } },
        ],
      } as GenerateContentResponse,
    ]);
    expect(batch.calls.map((c) => c.name)).toStrictEqual(["mine"]);
    expect(batch.complete).toBe(false);
  });

  it("keeps a signature that arrives on a trailing empty-text chunk, on that part", () => {
    const { batch } = pushAll([
      response([call("a", {}), call("b", {})], { finishReason: null }),
      response([{ text: "", thoughtSignature: SIGNATURE }]),
    ]);
    expect(batch.turn.parts).toStrictEqual([
      call("a", {}),
      call("b", {}),
      { text: "", thoughtSignature: SIGNATURE },
    ]);
  });

  it("assembles the same batch and turn as the unstreamed response, for any grouping into chunks (property)", () => {
    const part = fc.oneof(
      fc
        .record({
          name: fc.constantFrom("sum", "get_time"),
          x: fc.integer(),
          id: fc.option(fc.constant("fc"), { nil: undefined }),
        })
        .map(({ name, x, id }) => call(name, { x }, id ? { id: `${id}_${x}` } : {})),
      fc.string({ minLength: 1, maxLength: 5 }).map((text): Part => ({ text })),
      fc.constant<Part>({ text: "", thoughtSignature: SIGNATURE }),
      fc.constant<Part>({ text: "" }),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.constantFrom("STOP", "MAX_TOKENS"),
        (parts, cuts, finishReason) => {
          const signed = parts.map((p, i) =>
            i === 0 && p.functionCall ? { ...p, thoughtSignature: SIGNATURE } : p,
          );
          const unstreamed = googleGenAI({ ids: countingIds() }).toBatch(
            response(signed, { finishReason }),
          );
          const events = geminiWire.rechunk([response(signed, { finishReason })], cuts);
          const streamed = assembleStream(googleGenAI({ ids: countingIds() }), events);
          expect(streamed.batch).toStrictEqual(unstreamed);
          if (finishReason === "STOP") {
            expect(streamed.reported.map(identity)).toStrictEqual(unstreamed.calls.map(identity));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("answers a streamed turn like any other: one response per call, ids only where sent", async () => {
    const adapter = googleGenAI();
    const { batch } = pushAll(chunks("gm4"), adapter);
    const followUp = adapter.toFollowUp(
      batch,
      batch.calls.map((c) => toolSuccess(c, "ok")),
    );
    expect(followUp[1]?.parts?.map((p) => p.functionResponse?.id)).toStrictEqual([
      "8hd01vsf",
      "k0srpqrc",
    ]);
  });
});

describe("partialArgs JSON paths", () => {
  it.each([
    ["$.a", ["a"]],
    ["$.a.b[2].c", ["a", "b", 2, "c"]],
    ["$['x y'][0]", ["x y", 0]],
    ['$["q\\"uote"]', ['q"uote']],
    ["$", []],
  ])("reads %s", (path, segments) => {
    expect(parseJsonPath(path)).toStrictEqual(segments);
  });

  it.each(["a.b", "$..a", "$[*]", "$.a[?(@.b)]"])("refuses %s", (path) => {
    expect(parseJsonPath(path)).toBeUndefined();
  });
});

function identity(call: ToolCall) {
  return `${call.index}:${call.id}:${call.name}`;
}
