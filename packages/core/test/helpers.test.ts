import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCallWarning,
  assertResultsMatchBatch,
  type BatchWarning,
  createCallIdGenerator,
  createToolCall,
  PORTABLE_CALL_ID,
  parseToolArguments,
  ResultMismatchError,
  renderResultText,
  toolFailure,
  toolSuccess,
} from "../src/index.js";
import { batchOf } from "./support.js";

describe("call ids", () => {
  it("are 9 ASCII letters or digits and unique within a generator", () => {
    const ids = createCallIdGenerator();
    const seen = new Set<string>();
    for (let n = 0; n < 5000; n++) {
      const id = ids.next();
      expect(id).toMatch(PORTABLE_CALL_ID);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it("never reissue an id that was issued or reserved, even when randomness repeats", () => {
    // A byte source that cycles through three ids' worth of bytes.
    let turn = 0;
    const randomBytes = (size: number) =>
      new Uint8Array(size).fill([0, 1, 2][turn++ % 3] as number);
    const ids = createCallIdGenerator({ randomBytes });
    ids.reserve("BBBBBBBBB");
    expect([ids.next(), ids.next()]).toStrictEqual(["AAAAAAAAA", "CCCCCCCCC"]);
  });

  it("skip biased bytes so every character stays equally likely", () => {
    const bytes = [255, 250, 248, ...Array(20).fill(61)];
    const ids = createCallIdGenerator({
      randomBytes: (size) => Uint8Array.from(bytes.splice(0, size)),
    });
    expect(ids.next()).toBe("999999999");
  });
});

describe("parseToolArguments", () => {
  it.each([
    ["", {}],
    ["   ", {}],
    [undefined, {}],
    [null, {}],
    ['{"a":1}', { a: 1 }],
    ["[1]", [1]],
  ])("reads %j", (raw, value) => {
    expect(parseToolArguments(raw)).toStrictEqual({ ok: true, value });
  });

  it("gives every call without arguments its own {}: a tool that changes its input changes no other call's", () => {
    const first = parseToolArguments("");
    const second = parseToolArguments(undefined);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    (first.value as Record<string, unknown>).injected = true;
    expect(second.value).toStrictEqual({});
    expect(parseToolArguments("  ")).toStrictEqual({ ok: true, value: {} });
  });

  it("takes objects as they are (Ollama, Gemini, Anthropic)", () => {
    const value = { city: "Paris" };
    expect(parseToolArguments(value)).toStrictEqual({ ok: true, value });
  });

  it("unwraps arguments encoded twice, with a warning", () => {
    const parsed = parseToolArguments(JSON.stringify('{"a":1}'));
    expect(parsed).toMatchObject({
      ok: true,
      value: { a: 1 },
      warning: { code: "arguments-double-encoded" },
    });
  });

  it("explains unparseable JSON and quotes at most 200 characters of it", () => {
    const parsed = parseToolArguments(`{"a": ${"x".repeat(500)}`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatch(/^The arguments are not valid JSON \(/);
    expect(parsed.error).toContain("Send the arguments as one JSON object.");
    expect(parsed.error.length).toBeLessThan(400);
  });
});

describe("createToolCall", () => {
  it("keeps vendor ids, reserves them, and synthesizes portable ids where none came", () => {
    const ids = createCallIdGenerator();
    const warnings: BatchWarning[] = [];
    const kept = createToolCall(
      { id: "call_abc", name: "a", arguments: '{"x":1}', index: 0 },
      ids,
      warnings,
    );
    expect(kept).toStrictEqual({
      id: "call_abc",
      name: "a",
      input: { x: 1 },
      rawInput: '{"x":1}',
      index: 0,
    });
    const made = createToolCall(
      { id: "", name: "b", arguments: { y: 2 }, index: 1 },
      ids,
      warnings,
    );
    expect(made.id).toMatch(PORTABLE_CALL_ID);
    expect(made.idSynthesized).toBe(true);
    expect(made).not.toHaveProperty("rawInput");
    expect(warnings).toMatchObject([{ code: "id-synthesized", callIndex: 1 }]);
  });

  it("says a missing id once per batch, however many calls lack one, and not where ids are optional", () => {
    const ids = createCallIdGenerator();
    const warnings: BatchWarning[] = [];
    for (let index = 0; index < 200; index++) {
      createToolCall({ name: "t", arguments: "{}", index }, ids, warnings);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toHaveProperty("callIndex");
    expect(warnings[0]?.message).toMatch(
      /^Call 0 \(t\) came without an id; "[A-Za-z0-9]{9}" was synthesized for it\. Likewise for 199 more calls of this turn \(each separately\): 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\.$/,
    );
    const quiet: BatchWarning[] = [];
    const call = createToolCall({ name: "t", arguments: "{}", index: 0 }, ids, quiet, {
      idsOptional: true,
    });
    expect(call.idSynthesized).toBe(true);
    expect(quiet).toStrictEqual([]);
  });

  it("merges per-call warnings of one code, and starts over in a list rebuilt since", () => {
    const warnings: BatchWarning[] = [{ code: "other", message: "kept" }];
    addCallWarning(warnings, { code: "c", message: "Call 2 is odd.", callIndex: 2 });
    expect(warnings[1]).toStrictEqual({ code: "c", message: "Call 2 is odd.", callIndex: 2 });
    addCallWarning(warnings, { code: "c", message: "Call 5 is odd.", callIndex: 5 });
    expect(warnings).toStrictEqual([
      { code: "other", message: "kept" },
      {
        code: "c",
        message: "Call 2 is odd. Likewise for 1 more call of this turn (each separately): 5.",
      },
    ]);
    warnings.splice(1);
    addCallWarning(warnings, { code: "c", message: "Call 7 is odd.", callIndex: 7 });
    expect(warnings[1]).toStrictEqual({ code: "c", message: "Call 7 is odd.", callIndex: 7 });
  });

  it("keeps a parse failure on the call instead of throwing", () => {
    const call = createToolCall(
      { id: "x", name: "a", arguments: "{oops", index: 0 },
      createCallIdGenerator(),
      [],
    );
    expect(call.input).toStrictEqual({});
    expect(call.rawInput).toBe("{oops");
    expect(call.inputError).toMatch(/not valid JSON/);
  });
});

describe("renderResultText", () => {
  const call = { id: "c1", name: "t" };
  it.each([
    [toolSuccess(call, "plain"), "plain"],
    [toolSuccess(call, { a: [1, 2] }), '{"a":[1,2]}'],
    [toolSuccess(call, undefined), ""],
    [toolSuccess(call, null), "null"],
    [toolFailure(call, "timeout", "too slow"), "Error (timeout): too slow"],
  ])("renders %j", (result, text) => {
    expect(renderResultText(result)).toBe(text);
  });
});

describe("assertResultsMatchBatch", () => {
  const batch = batchOf([{ name: "a" }, { name: "b" }]);
  const ok = batch.calls.map((c) => toolSuccess(c, null));

  it("accepts one result per call in order", () => {
    expect(() => assertResultsMatchBatch(batch, ok)).not.toThrow();
  });

  it("refuses missing, extra and reordered results with the package in the message", () => {
    expect(() => assertResultsMatchBatch(batch, ok.slice(0, 1), "toolbatch/openai")).toThrow(
      /^\[toolbatch\/openai\] The batch has 2 call\(s\) but 1 result\(s\)/,
    );
    expect(() => assertResultsMatchBatch(batch, [...ok, ...ok])).toThrow(ResultMismatchError);
    let caught: unknown;
    try {
      assertResultsMatchBatch(batch, [...ok].reverse());
    } catch (error) {
      caught = error;
    }
    expect(ResultMismatchError.isInstance(caught)).toBe(true);
    expect((caught as ResultMismatchError).index).toBe(0);
  });

  it("refuses a result that names the right id but the wrong tool", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (name) => {
        fc.pre(name !== "a");
        expect(() =>
          assertResultsMatchBatch(batch, [
            { ...toolSuccess(batch.calls[0] as never, 1), name },
            ok[1] as never,
          ]),
        ).toThrow(ResultMismatchError);
      }),
    );
  });
});
