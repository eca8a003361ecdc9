import { describe, expect, it } from "vitest";
import { mergeChatDelta } from "../src/merge-chat-delta.js";

/** The value a field holds after these deltas, as the stream assembler accumulates it. */
const merged = (deltas: readonly unknown[]) =>
  deltas.reduce<unknown>((accumulated, delta) => mergeChatDelta(accumulated, delta), undefined);

describe("mergeChatDelta", () => {
  it("concatenates strings, replaces numbers and booleans, and never lets null replace a value", () => {
    expect(merged(["The", " user", null, undefined, ""])).toBe("The user");
    expect(merged([1, 2, null])).toBe(2);
    expect(merged([null])).toBeNull();
  });

  it("merges array entries by integer index only, and objects field by field with index and type replaced", () => {
    expect(
      merged([
        [{ index: 0, type: "reasoning.text", text: "a" }],
        [{ index: 0, type: "reasoning.summary", text: "b" }, { text: "no index" }],
        [
          { index: "0", text: "c" },
          { index: 0.5, text: "d" },
          { index: 0, text: "e" },
        ],
      ]),
    ).toStrictEqual([
      { index: 0, type: "reasoning.summary", text: "abe" },
      { text: "no index" },
      { index: "0", text: "c" },
      { index: 0.5, text: "d" },
    ]);
  });

  it("takes the latest kind when a server changes a field's type mid-stream", () => {
    expect(merged(["text", [1], { a: 1 }, "again"])).toBe("again");
    expect(merged([{ a: "x" }, [1], [2]])).toStrictEqual([1, 2]);
  });

  it("keeps __proto__ and constructor keys as data, also inside entries, and copies null-prototype objects", () => {
    const bare = Object.assign(Object.create(null), { a: "x" });
    const value = merged([
      JSON.parse('[{"index":0,"__proto__":{"a":"x"},"constructor":"c"}]'),
      JSON.parse('[{"index":0,"__proto__":{"a":"y"},"constructor":"d"}]'),
    ]) as Record<string, unknown>[];
    expect(Object.hasOwn(value[0] as object, "__proto__")).toBe(true);
    expect(JSON.stringify(value)).toBe('[{"index":0,"__proto__":{"a":"xy"},"constructor":"cd"}]');
    expect(Object.getPrototypeOf(merged([bare]))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it("never writes to the deltas it was given", () => {
    const first = { index: 0, text: "a", nested: { b: "c" } };
    const second = { index: 0, text: "d", nested: { b: "e" } };
    merged([[first], [second]]);
    expect(first).toStrictEqual({ index: 0, text: "a", nested: { b: "c" } });
    expect(second).toStrictEqual({ index: 0, text: "d", nested: { b: "e" } });
  });

  // A stream is read chunk by chunk: each chunk must cost what it holds, not what came before.
  // Copying the accumulated array or object on every chunk, and searching its entries for the
  // index, made 20,000 chunks of new entries take 4 s and 20,000 chunks of new keys 56 s (a server
  // that misbehaves, or a long turn, stalled the stream). Counted, not timed: the accumulated
  // value is watched through a Proxy, and the work one chunk does on it must not grow with the
  // chunks before it.
  it("does work per chunk that does not grow with the chunks before it", () => {
    const chunks = 2_000;
    // Every trap counts one touch, then does what the object itself would.
    const watched = <T extends object>(target: T) => {
      const touches = { count: 0 };
      const traps = ["get", "set", "has", "ownKeys", "getOwnPropertyDescriptor", "defineProperty"];
      const handler: ProxyHandler<T> = {};
      for (const trap of traps) {
        const reflect = Reflect[trap as keyof typeof Reflect] as (...args: unknown[]) => unknown;
        (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
          touches.count++;
          return reflect(...args);
        };
      }
      return { proxy: new Proxy(target, handler), touches };
    };
    const entries = watched<unknown[]>([]);
    const fields = watched<Record<string, unknown>>({});
    let mostPerEntry = 0;
    let mostPerField = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const entriesBefore = entries.touches.count;
      const kept = mergeChatDelta(entries.proxy, [
        { index: chunk, type: "reasoning.text", text: "x" },
      ]);
      mostPerEntry = Math.max(mostPerEntry, entries.touches.count - entriesBefore);
      const fieldsBefore = fields.touches.count;
      const keptFields = mergeChatDelta(fields.proxy, { [`key${chunk}`]: "x" });
      mostPerField = Math.max(mostPerField, fields.touches.count - fieldsBefore);
      // Updated in place: the accumulated value is the one it was given, never a copy.
      expect(kept).toBe(entries.proxy);
      expect(keptFields).toBe(fields.proxy);
    }
    expect(entries.proxy).toHaveLength(chunks);
    expect(Object.keys(fields.proxy)).toHaveLength(chunks);
    // A copy or a search per chunk touches thousands of slots by the end; in place, a handful.
    expect(mostPerEntry).toBeLessThan(20);
    expect(mostPerField).toBeLessThan(20);
  });
});
