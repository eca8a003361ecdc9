import { describe, expect, it } from "vitest";
import {
  copyHistory,
  copyJsonValue,
  createTranscriptBuilder,
  InvalidHistoryError,
  InvalidTranscriptError,
  MAX_JSON_DEPTH,
  OPENAI_CALL_IDS,
  prepareTranscript,
} from "../src/index.js";

/** What `run` threw. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

const nested = (depth: number): unknown => {
  let value: unknown = "x";
  for (let level = 0; level < depth; level++) value = level % 2 ? { inner: value } : [value];
  return value;
};

describe("copyJsonValue", () => {
  it("copies JSON data as plain objects, a __proto__ key as data, holes as undefined", () => {
    const holes = [1, 2, 3];
    delete holes[1];
    const bare = Object.assign(Object.create(null), { a: holes });
    const source = JSON.parse('{"__proto__": {"polluted": true}, "list": [{"b": null}]}');
    const copy = copyJsonValue({ bare, source });
    expect(Object.getPrototypeOf(copy.bare)).toBe(Object.prototype);
    expect(copy.bare.a).toStrictEqual([1, undefined, 3]);
    expect(Object.hasOwn(copy.source, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(copy.source)).toBe(Object.prototype);
    expect(copy.source.list[0]).not.toBe(source.list[0]);
  });

  it("copies nesting up to the limit, and refuses deeper, a cycle, or what is not JSON, saying where", () => {
    expect(copyJsonValue(nested(MAX_JSON_DEPTH))).toStrictEqual(nested(MAX_JSON_DEPTH));
    const cyclic: Record<string, unknown> = { a: [1] };
    (cyclic.a as unknown[]).push(cyclic);
    const cases: [unknown, string][] = [
      [
        nested(5_000),
        "history holds a value at .inner[0].inner[0].inner[0]…[0].inner[0] that nests deeper than 256",
      ],
      [cyclic, "history holds a value at .a[1] that is cyclic: it contains itself."],
      [{ n: 1n }, "history holds a value at .n that is not JSON data: got a bigint."],
      [[() => 1], "at [0] that is not JSON data: got a function."],
    ];
    for (const [value, says] of cases) {
      const error = thrownBy(() => copyJsonValue(value));
      expect(InvalidHistoryError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(says);
    }
  });

  it("names a getter or proxy trap that throws by where it is, and makes the error the caller wants", () => {
    const getter = Object.defineProperty({}, "secret", {
      enumerable: true,
      get: () => {
        throw new Error("no access");
      },
    });
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw "no keys";
        },
      },
    );
    const fault = (where: string, problem: string) => new RangeError(`${where}|${problem}`);
    expect(thrownBy(() => copyJsonValue({ x: [getter] }, fault))).toStrictEqual(
      new RangeError(".x[0].secret|could not be read: Error: no access"),
    );
    expect(thrownBy(() => copyJsonValue({ trap }, fault))).toStrictEqual(
      new RangeError('.trap|could not be read: it threw "no keys"'),
    );
  });
});

describe("copyHistory", () => {
  it("refuses what is not an array, and an array it cannot read, as the history's fault (index -1)", () => {
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    for (const history of [undefined, "hi", { 0: {} }, revoked.proxy]) {
      const error = thrownBy(() => copyHistory(history, "toolbatch/test")) as InvalidHistoryError;
      expect(InvalidHistoryError.isInstance(error)).toBe(true);
      expect(error.index).toBe(-1);
      expect(error.message).toMatch(/^\[toolbatch\/test\] history (is not a history|could not)/);
    }
  });

  it("names the entry at fault, and where in it", () => {
    const history = [{ role: "user" }, { role: "user", content: [{ text: 5n }] }];
    const error = thrownBy(() => copyHistory(history, "toolbatch/test")) as InvalidHistoryError;
    expect(error.index).toBe(1);
    expect(error.message).toBe(
      "[toolbatch/test] history[1].content[0].text is not JSON data: got a bigint.",
    );
  });
});

describe("the transcript builder and prepareTranscript", () => {
  it("refuse what is not transcript data, whatever a codec let through", () => {
    const builder = createTranscriptBuilder({ source: "toolbatch/test" });
    const bad = [
      () => builder.user(42 as never),
      () => builder.assistant({ text: "", calls: [{ name: 7 as never, input: {} }] }),
      () => builder.assistant({ text: "", calls: [{ id: {} as never, name: "a", input: {} }] }),
      () => builder.result({ callId: [] as never, isError: false, output: "" }),
    ];
    for (const run of bad) {
      const error = thrownBy(run);
      expect(InvalidHistoryError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^\[toolbatch\/test\] history holds .*, not a string\.$/,
      );
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    builder.assistant({ text: "", calls: [{ name: "a", input: cyclic }] });
    expect((thrownBy(() => builder.finish()) as Error).message).toBe(
      "[toolbatch/test] history holds a value at .self that is cyclic: it contains itself.",
    );
  });

  it("prepareTranscript refuses a cyclic transcript with InvalidTranscriptError naming the turn", () => {
    const input: Record<string, unknown> = {};
    input.self = input;
    const error = thrownBy(() =>
      prepareTranscript(
        { turns: [{ role: "assistant", text: "", calls: [{ id: "c", name: "a", input }] }] },
        { vendor: "test", callIds: OPENAI_CALL_IDS, source: "toolbatch/test" },
      ),
    );
    expect(InvalidTranscriptError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "[toolbatch/test] turn 0.calls[0].input.self is cyclic: it contains itself.",
    );
  });
});
