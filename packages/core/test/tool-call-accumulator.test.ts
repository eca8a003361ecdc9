import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createToolCallAccumulator, type RawToolCall } from "../src/index.js";

const jsonObject = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
  ),
  { maxKeys: 5 },
);

/** Splits a string at random cut points. */
const splitAt = (text: string, cuts: number[]) => {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(text.slice(from, point));
    from = point;
  }
  parts.push(text.slice(from));
  return parts;
};

describe("createToolCallAccumulator", () => {
  it("assembles the same calls for any fragmentation and interleaving (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.constantFrom("a", "b"),
            args: jsonObject,
            cuts: fc.array(fc.nat(), { maxLength: 8 }),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.array(fc.nat(), { maxLength: 60 }),
        (calls, schedule) => {
          const accumulator = createToolCallAccumulator();
          calls.forEach((call, i) => {
            accumulator.open(i, { id: `id_${i}`, name: call.name });
          });
          const queues = calls.map((call) => splitAt(JSON.stringify(call.args), call.cuts));
          // Interleave fragments of different calls in a random order.
          let step = 0;
          while (queues.some((q) => q.length > 0)) {
            const live = queues.map((q, i) => [q, i] as const).filter(([q]) => q.length > 0);
            const [queue, key] = live[
              (schedule[step++] ?? 0) % live.length
            ] as (typeof live)[number];
            accumulator.append(key, queue.shift() as string);
          }
          const { calls: assembled, unterminated } = accumulator.finish();
          expect(unterminated).toHaveLength(calls.length);
          expect(assembled.map((c) => [c.id, c.name, c.arguments, c.index])).toStrictEqual(
            calls.map((c, i) => [`id_${i}`, c.name, JSON.stringify(c.args), i]),
          );
        },
      ),
    );
  });

  it("reports each call complete exactly once, in order of appearance", () => {
    const accumulator = createToolCallAccumulator();
    accumulator.open("x", { id: "1", name: "a" });
    accumulator.append("x", '{"q":');
    accumulator.open("y", { id: "2", name: "b" });
    accumulator.append("x", "1}");
    const first = accumulator.complete("x");
    expect(first).toStrictEqual({ id: "1", name: "a", arguments: '{"q":1}', index: 0 });
    expect(accumulator.complete("x")).toBeUndefined();
    expect(accumulator.complete("nope")).toBeUndefined();
    expect(accumulator.isOpen("x")).toBe(false);
    expect(accumulator.isOpen("y")).toBe(true);
    expect(accumulator.completeAll().map((c: RawToolCall) => c.index)).toStrictEqual([1]);
    expect(accumulator.completeAll()).toStrictEqual([]);
    const { calls, unterminated } = accumulator.finish();
    expect(calls.map((c) => c.arguments)).toStrictEqual(['{"q":1}', ""]);
    expect(unterminated).toStrictEqual([]);
  });

  it("learns ids and names late and takes whole arguments", () => {
    const accumulator = createToolCallAccumulator();
    accumulator.open(0);
    accumulator.append(0, '{"a":');
    accumulator.open(0, { name: "late" });
    accumulator.open(0, { id: "x1" });
    accumulator.setArguments(0, { whole: true });
    expect(accumulator.has(0)).toBe(true);
    expect(accumulator.size).toBe(1);
    expect(accumulator.complete(0)).toStrictEqual({
      id: "x1",
      name: "late",
      arguments: { whole: true },
      index: 0,
    });
    expect(accumulator.finish().warnings).toStrictEqual([]);
  });

  it("ignores fragments after a call completed, with a warning", () => {
    const accumulator = createToolCallAccumulator();
    accumulator.open(0, { id: "a", name: "t" });
    accumulator.append(0, "{}");
    accumulator.complete(0);
    accumulator.append(0, "garbage");
    const { calls, warnings } = accumulator.finish();
    expect(calls[0]?.arguments).toBe("{}");
    expect(warnings.map((w) => w.code)).toStrictEqual(["fragment-after-complete"]);
  });

  it("hands over cut-off arguments as they arrived, never repaired", () => {
    const accumulator = createToolCallAccumulator();
    accumulator.open(0, { id: "a", name: "t" });
    accumulator.append(0, '{"path": "/etc/pas');
    const { calls, unterminated } = accumulator.finish();
    expect(unterminated).toStrictEqual(calls);
    expect(calls[0]?.arguments).toBe('{"path": "/etc/pas');
  });
});
