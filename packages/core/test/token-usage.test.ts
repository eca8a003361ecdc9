import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addTokenUsage, type TokenUsage } from "../src/index.js";

const count = fc.nat({ max: 1_000_000 });
const usage: fc.Arbitrary<TokenUsage> = fc.record(
  {
    inputTokens: count,
    outputTokens: count,
    cachedInputTokens: count,
    reasoningTokens: count,
    totalTokens: count,
  },
  { requiredKeys: ["inputTokens", "outputTokens"] },
);
const maybeUsage = fc.option(usage, { nil: undefined });

describe("addTokenUsage", () => {
  it("is no usage for two undefined, and the other side as it is for one", () => {
    const one: TokenUsage = { inputTokens: 3, outputTokens: 4, reasoningTokens: 1 };
    expect(addTokenUsage(undefined, undefined)).toBeUndefined();
    expect(addTokenUsage(one, undefined)).toBe(one);
    expect(addTokenUsage(undefined, one)).toBe(one);
  });

  it("adds an optional count where either side has it and leaves it out where neither has", () => {
    expect(
      addTokenUsage(
        { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, totalTokens: 15 },
        { inputTokens: 1, outputTokens: 2, reasoningTokens: 7 },
      ),
    ).toStrictEqual({
      inputTokens: 11,
      outputTokens: 7,
      cachedInputTokens: 4,
      reasoningTokens: 7,
      totalTokens: 15,
    });
    expect(
      addTokenUsage({ inputTokens: 1, outputTokens: 1 }, { inputTokens: 2, outputTokens: 3 }),
    ).toStrictEqual({ inputTokens: 3, outputTokens: 4 });
  });

  it("treats a count given as undefined as one not given", () => {
    expect(
      addTokenUsage(
        { inputTokens: 1, outputTokens: 1, cachedInputTokens: undefined },
        { inputTokens: 1, outputTokens: 1, totalTokens: undefined },
      ),
    ).toStrictEqual({ inputTokens: 2, outputTokens: 2 });
  });

  it("sums every count of any steps, in any order and grouping (property)", () => {
    fc.assert(
      fc.property(fc.array(maybeUsage, { maxLength: 8 }), (steps) => {
        const forward = steps.reduce<TokenUsage | undefined>(addTokenUsage, undefined);
        const backward = steps.reduceRight<TokenUsage | undefined>(addTokenUsage, undefined);
        expect(forward).toStrictEqual(backward);
        const given = steps.filter((step) => step !== undefined);
        if (given.length === 0) {
          expect(forward).toBeUndefined();
          return;
        }
        for (const key of [
          "inputTokens",
          "outputTokens",
          "cachedInputTokens",
          "reasoningTokens",
          "totalTokens",
        ] as const) {
          const present = given.filter((step) => step[key] !== undefined);
          const expected =
            present.length === 0 ? undefined : present.reduce((sum, s) => sum + (s[key] ?? 0), 0);
          expect(forward?.[key]).toBe(
            key === "inputTokens" || key === "outputTokens" ? (expected ?? 0) : expected,
          );
        }
      }),
    );
  });
});
