import type { Content, GenerateContentResponse, Part } from "@google/genai";
import { geminiWire, loadSpecValidator } from "@toolbatch/contract";
import {
  DuplicateToolError,
  defineTool,
  executeBatch,
  PORTABLE_CALL_ID,
  ResultMismatchError,
  type ToolResult,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CandidateNotFoundError, googleGenAI } from "../src/index.js";
import { call, recording, response, responsesOf, sum } from "./support.js";

const SIGNATURE = "CiQBjz1rX0ilc2lnbmF0dXJl";

/** Problems the Gemini spec finds in a request carrying this follow-up. */
const validFollowUp = (followUp: Content[]) =>
  loadSpecValidator("gemini").validate("GenerateContentRequest", {
    contents: [{ role: "user", parts: [{ text: "hi" }] }, ...followUp],
  });

describe("googleGenAI toBatch", () => {
  it("reads functionCall parts in order and leaves text, thoughts and server-side tool parts in the turn only", () => {
    const parts: Part[] = [
      { text: "Let me check.", thought: true },
      call("get_weather", { city: "Paris" }, { thoughtSignature: SIGNATURE }),
      { executableCode: { code: "print(1)", language: "PYTHON" } } as Part,
      { toolCall: { id: "srv_1", toolType: "GOOGLE_SEARCH_WEB", args: { q: "x" } } } as Part,
      call("get_time", { tz: "Asia/Tokyo" }),
    ];
    const batch = googleGenAI().toBatch(response(parts));
    expect(batch.provider).toBe("google-genai");
    expect(batch.complete).toBe(true);
    expect(batch.stopReason).toBe("STOP");
    expect(batch.calls.map((c) => [c.index, c.name, c.input])).toStrictEqual([
      [0, "get_weather", { city: "Paris" }],
      [1, "get_time", { tz: "Asia/Tokyo" }],
    ]);
    expect(batch.turn).toStrictEqual({ role: "model", parts });
  });

  it("gives two calls of one name without ids distinct portable ids, flagged (gm10)", () => {
    const batch = googleGenAI().toBatch(recording("gm10").response as GenerateContentResponse);
    const ids = batch.calls.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    for (const c of batch.calls) {
      expect(c.id).toMatch(PORTABLE_CALL_ID);
      expect(c.idSynthesized).toBe(true);
    }
  });

  // Gemini before 3 never sends ids: that is its protocol, not a quirk to warn about, and a
  // warning per call buried every other warning (a 200-call turn carried 200).
  it("warns about no missing id, whole or streamed: idSynthesized says it", () => {
    const calls = Array.from({ length: 200 }, (_, i) => call("get_time", { i }));
    const whole = googleGenAI().toBatch(response(calls));
    const assembler = googleGenAI().createStreamAssembler();
    for (const part of calls) assembler.push(response([part], { finishReason: null }));
    assembler.push(response([], { finishReason: "STOP" }));
    for (const batch of [whole, assembler.finish()]) {
      expect(batch.calls).toHaveLength(200);
      expect(batch.calls.every((c) => c.idSynthesized)).toBe(true);
      expect(batch.warnings).toBeUndefined();
    }
  });

  it("keeps Gemini's own ids, and synthesizes only where one is missing", () => {
    const batch = googleGenAI().toBatch(
      response([call("a", {}, { id: "fc_1" }), call("b", {}), call("c", {}, { id: "fc_3" })]),
    );
    expect(
      batch.calls.map((c) => [c.id === "fc_1", c.idSynthesized, c.id === "fc_3"]),
    ).toStrictEqual([
      [true, undefined, false],
      [false, true, false],
      [false, undefined, true],
    ]);
  });

  it("reads the chosen candidate, and says clearly when it is missing", () => {
    const two = {
      candidates: [
        { index: 0, content: { role: "model", parts: [call("a", {})] }, finishReason: "STOP" },
        { index: 1, content: { role: "model", parts: [call("b", {})] }, finishReason: "STOP" },
      ],
    } as GenerateContentResponse;
    expect(googleGenAI({ candidate: 1 }).toBatch(two).calls[0]?.name).toBe("b");
    let caught: unknown;
    try {
      googleGenAI({ candidate: 2 }).toBatch(two);
    } catch (error) {
      caught = error;
    }
    expect(CandidateNotFoundError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(
      /^\[toolbatch\/google\] The response has no candidate 2; it has 0, 1\./,
    );
  });

  it("reads a blocked prompt (no candidates) as an empty, incomplete batch with nothing to send back", () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch({
      promptFeedback: { blockReason: "SAFETY" },
    } as GenerateContentResponse);
    expect(batch).toMatchObject({ calls: [], complete: false, stopReason: "SAFETY" });
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["prompt-blocked"]);
    expect(adapter.toFollowUp(batch, [])).toStrictEqual([]);
  });

  it("echoes a turn without calls as it is, and a content without role as role model", () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch(response([{ text: "Done." }], { role: null }));
    expect(adapter.toFollowUp(batch, [])).toStrictEqual([
      { role: "model", parts: [{ text: "Done." }] },
    ]);
  });
});

describe("googleGenAI thought signatures", () => {
  it("echoes the signature on the first call only, as Google signed it, never copied to siblings", async () => {
    const adapter = googleGenAI();
    const parts = [
      call("sum", { x: 1, y: 2 }, { thoughtSignature: SIGNATURE }),
      call("sum", { x: 3, y: 4 }),
    ];
    const batch = adapter.toBatch(response(parts));
    const [model] = adapter.toFollowUp(batch, await executeBatch(batch, [sum]));
    expect(model).toStrictEqual({ role: "model", parts });
  });

  it("keeps a signature that came on a trailing empty-text part, on that part", async () => {
    const adapter = googleGenAI();
    const parts: Part[] = [
      call("sum", { x: 1, y: 2 }),
      call("sum", { x: 3, y: 4 }),
      { text: "", thoughtSignature: SIGNATURE },
    ];
    const batch = adapter.toBatch(response(parts));
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, [sum]));
    expect(followUp[0]?.parts).toStrictEqual(parts);
    expect(validFollowUp(followUp)).toStrictEqual([]);
  });

  it("drops empty text parts without a signature (Vertex refuses them) and joins plain text", () => {
    const batch = googleGenAI().toBatch(
      response([{ text: "It is " }, { text: "" }, { text: "sunny." }, call("a", {}), { text: "" }]),
    );
    expect(batch.turn.parts).toStrictEqual([{ text: "It is sunny." }, call("a", {})]);
  });
});

describe("googleGenAI finishReason", () => {
  const cases: [string | null, boolean, string[]][] = [
    ["STOP", true, []],
    ["MAX_TOKENS", false, []],
    ["MALFORMED_FUNCTION_CALL", false, ["tool-call-failed"]],
    ["UNEXPECTED_TOOL_CALL", false, ["tool-call-failed"]],
    ["TOO_MANY_TOOL_CALLS", false, ["tool-call-failed"]],
    ["SAFETY", false, []],
    ["RECITATION", false, []],
    ["OTHER", false, []],
    ["MALFORMED_RESPONSE", false, []],
    [null, false, []],
    ["SOMETHING_NEW", true, ["unknown-finish-reason"]],
  ];
  it.each(cases)("%s makes the batch complete: %s", (finishReason, complete, codes) => {
    const batch = googleGenAI().toBatch(
      response([call("a", {}, { id: "fc_1" })], { finishReason }),
    );
    expect(batch.complete).toBe(complete);
    expect(batch.warnings?.map((w) => w.code) ?? []).toStrictEqual(codes);
  });

  it("reports a malformed call with Google's own explanation", () => {
    const batch = googleGenAI().toBatch(
      response(undefined, {
        finishReason: "MALFORMED_FUNCTION_CALL",
        finishMessage: "Malformed function call: print(default_api.sum(x=1",
      }),
    );
    expect(batch.calls).toStrictEqual([]);
    expect(batch.warnings?.[0]?.message).toContain(
      "Malformed function call: print(default_api.sum(x=1",
    );
  });

  it("runs nothing of an incomplete batch but still answers every call, with the error flag", async () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch(
      response([call("sum", { x: 1, y: 2 }), call("sum", { x: 3, y: 4 })], {
        finishReason: "MAX_TOKENS",
      }),
    );
    let ran = 0;
    const counted = defineTool({
      name: "sum",
      description: "",
      input: z.object({}),
      execute: () => ++ran,
    });
    const results = await executeBatch(batch, [counted]);
    expect(ran).toBe(0);
    const answers = responsesOf(adapter.toFollowUp(batch, results));
    expect(answers).toHaveLength(2);
    for (const answer of answers) {
      expect(answer?.name).toBe("sum");
      expect(answer?.response).toStrictEqual({ error: expect.stringContaining("was not run") });
    }
  });
});

describe("googleGenAI toFollowUp", () => {
  it("sends ONE user content with one functionResponse per call, in call order, outputs wrapped", () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch(
      response([call("a", {}, { id: "fc_1" }), call("b", {}, { id: "fc_2" }), call("c", {})]),
    );
    const [a, b, c] = batch.calls as [never, never, never];
    const followUp = adapter.toFollowUp(batch, [
      toolSuccess(a, "a string"),
      toolFailure(b, "timeout", 'Tool "b" did not finish within 10 ms and was stopped.'),
      toolSuccess(c, undefined),
    ]);
    expect(followUp).toHaveLength(2);
    expect(followUp[1]).toStrictEqual({
      role: "user",
      parts: [
        { functionResponse: { id: "fc_1", name: "a", response: { output: "a string" } } },
        {
          functionResponse: {
            id: "fc_2",
            name: "b",
            response: { error: 'Tool "b" did not finish within 10 ms and was stopped.' },
          },
        },
        { functionResponse: { name: "c", response: { output: null } } },
      ],
    });
    expect(validFollowUp(followUp)).toStrictEqual([]);
  });

  it("answers two calls of one name without ids in order, told apart by position only (gm10)", async () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch(recording("gm10").response as GenerateContentResponse);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, [sum]));
    expect(responsesOf(followUp)).toStrictEqual([
      { name: "sum", response: { output: 3 } },
      { name: "sum", response: { output: 7 } },
      { name: "sum", response: { output: 11 } },
    ]);
  });

  it("never sends a synthesized id back, whatever mix of ids the turn has (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.stringMatching(/^[a-z0-9]{8}$/), { nil: undefined }), {
          minLength: 1,
          maxLength: 6,
        }),
        (ids) => {
          const unique = ids.map((id, i) => (id === undefined ? undefined : `${id}${i}`));
          const adapter = googleGenAI();
          const batch = adapter.toBatch(
            response(unique.map((id, i) => call(`f${i % 2}`, { i }, id ? { id } : {}))),
          );
          const followUp = adapter.toFollowUp(
            batch,
            batch.calls.map((c) => toolSuccess(c, c.input)),
          );
          const text = JSON.stringify(followUp);
          for (const c of batch.calls) {
            if (c.idSynthesized) expect(text).not.toContain(c.id);
          }
          expect(responsesOf(followUp).map((r) => r?.id)).toStrictEqual(unique);
          expect(followUp[0]?.parts?.map((p) => p.functionCall?.id)).toStrictEqual(unique);
        },
      ),
    );
  });

  it("always sends exactly one functionResponse per call, whatever failed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (failures) => {
        const adapter = googleGenAI();
        const batch = adapter.toBatch(
          response(failures.map((_, i) => call("sum", { x: i, y: 0 }))),
        );
        const results: ToolResult[] = batch.calls.map((c, i) =>
          failures[i] ? toolFailure(c, "execution_failed", `boom ${i}`) : toolSuccess(c, i),
        );
        const followUp = adapter.toFollowUp(batch, results);
        const answers = responsesOf(followUp);
        expect(answers).toHaveLength(failures.length);
        answers.forEach((answer, i) => {
          expect(answer?.response).toStrictEqual(
            failures[i] ? { error: `boom ${i}` } : { output: i },
          );
        });
        expect(validFollowUp(followUp)).toStrictEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it("refuses results that do not pair with the calls, and a batch edited away from its turn", () => {
    const adapter = googleGenAI();
    const batch = adapter.toBatch(response([call("a", {}), call("b", {})]));
    const ok = batch.calls.map((c) => toolSuccess(c, 1));
    for (const [edited, results] of [
      [batch, ok.slice(1)],
      [batch, [...ok].reverse()],
      [{ ...batch, calls: batch.calls.slice(1).map((c) => ({ ...c, index: 0 })) }, ok.slice(1)],
    ] as const) {
      expect(() => adapter.toFollowUp(edited, results)).toThrow(ResultMismatchError);
    }
  });
});

describe("googleGenAI tools and parallel: false", () => {
  const weather = defineTool({
    name: "get_weather",
    description: "Current temperature in a city",
    input: z.object({ city: z.string(), unit: z.enum(["c", "f"]).optional() }),
    execute: () => 18,
  });

  it("declares one Tool with every function's JSON Schema as parametersJsonSchema", () => {
    const tools = googleGenAI().tools([weather]);
    expect(tools).toStrictEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Current temperature in a city",
            parametersJsonSchema: weather.inputSchema,
          },
        ],
      },
    ]);
    expect(googleGenAI().tools([])).toStrictEqual([]);
    expect(() => googleGenAI().tools([weather, weather])).toThrow(DuplicateToolError);
    const request = geminiWire.withTools({ contents: [] }, tools);
    expect(geminiWire.validateRequest(request)).toStrictEqual([]);
  });

  it("has no parallel switch: requestOptions is empty and the capability says client-only", () => {
    const adapter = googleGenAI();
    expect(adapter.capabilities).toStrictEqual({
      parallelToggle: "client-only",
      callIds: "sometimes",
      errorFlag: "native",
      streaming: true,
    });
    expect(adapter.requestOptions({ parallel: false })).toStrictEqual({});
    expect(adapter.requestOptions({ parallel: true, toolCount: 3 })).toStrictEqual({});
  });

  it("still holds parallel: false, because the executor runs the batch one call at a time", async () => {
    const batch = googleGenAI().toBatch(recording("gm10").response as GenerateContentResponse);
    const overlap = async (parallel: boolean) => {
      let running = 0;
      let most = 0;
      const probe = defineTool({
        name: "sum",
        description: "Add x and y",
        input: z.object({ x: z.number(), y: z.number() }),
        execute: async ({ x, y }) => {
          running++;
          most = Math.max(most, running);
          // Yield to the microtask queue a few times, so calls started together would overlap.
          for (let turn = 0; turn < 5; turn++) await Promise.resolve();
          running--;
          return x + y;
        },
      });
      const results = await executeBatch(batch, [probe], { parallel });
      expect(results.map((r) => r.ok && r.output)).toStrictEqual([3, 7, 11]);
      return most;
    };
    expect(await overlap(true)).toBe(3);
    expect(await overlap(false)).toBe(1);
  });
});
