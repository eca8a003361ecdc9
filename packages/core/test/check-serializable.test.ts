import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSerializationProblem } from "../src/execution/check-serializable.js";

const nest = (depth: number, leaf: unknown): unknown =>
  depth === 0 ? leaf : { next: nest(depth - 1, leaf) };

describe("findSerializationProblem", () => {
  it("agrees with JSON.stringify on arbitrary JSON-like values (property)", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
        (value) => {
          let throws = false;
          try {
            JSON.stringify(value);
          } catch {
            throws = true;
          }
          expect(findSerializationProblem(value) !== undefined).toBe(throws);
        },
      ),
    );
  });

  it("finds BigInt and cycles at any depth, past the fast walk too", () => {
    const cyclic: Record<string, unknown> = { a: [1, 2] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(findSerializationProblem(cyclic)).toMatch(/circular/i);
    expect(findSerializationProblem(nest(5, 1n))).toMatch(/BigInt/);
    expect(findSerializationProblem(nest(100, 1n))).toMatch(/BigInt/);
    expect(findSerializationProblem(nest(100, "fine"))).toBeUndefined();
  });

  it("honours toJSON, which may fix or break a value", () => {
    expect(findSerializationProblem(new Date(0))).toBeUndefined();
    expect(findSerializationProblem({ big: { toJSON: () => "1" }, n: 1 })).toBeUndefined();
    expect(
      findSerializationProblem({
        toJSON: () => {
          throw new Error("no");
        },
      }),
    ).toBe("no");
  });
});
