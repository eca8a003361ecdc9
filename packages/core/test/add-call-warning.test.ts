import { describe, expect, it } from "vitest";
import { addCallWarning, type BatchWarning } from "../src/index.js";

/** A warnings list that counts how many of its entries are read. */
function countingList(): { warnings: BatchWarning[]; reads: () => number } {
  let reads = 0;
  const warnings = new Proxy<BatchWarning[]>([], {
    get(target, property, receiver) {
      if (typeof property === "string" && /^\d+$/.test(property)) reads++;
      return Reflect.get(target, property, receiver);
    },
  });
  return { warnings, reads: () => reads };
}

describe("addCallWarning on a long turn", () => {
  // A turn of many calls whose first calls carry another per-call warning (each call's
  // arguments double-encoded, say) before the first call of this code: the merged warning sits
  // behind all of those. Finding it by scanning the list made each later call read them all again.
  it("reads a bounded number of list entries per call, however many warnings come before its own", () => {
    const calls = 10_000;
    const { warnings, reads } = countingList();
    for (let index = 0; index < calls; index++) {
      warnings.push({ code: "arguments-double-encoded", message: "…", callIndex: index });
    }
    for (let index = calls; index < 2 * calls; index++) {
      addCallWarning(warnings, {
        code: "id-synthesized",
        message: `Call ${index}.`,
        callIndex: index,
      });
    }
    expect(warnings).toHaveLength(calls + 1);
    expect(warnings[calls]?.message).toBe(
      `Call ${calls}. Likewise for ${calls - 1} more calls of this turn (each separately): ${Array.from({ length: 10 }, (_, n) => calls + 1 + n).join(", ")}, ….`,
    );
    // Linear: a few reads per call (quadratic was about 10,000 per call, 10^8 in all).
    expect(reads()).toBeLessThan(10 * calls);
  });

  it("still finds its warning after the caller moved it, and starts again after the caller removed it", () => {
    const warnings: BatchWarning[] = [];
    addCallWarning(warnings, { code: "c", message: "Call 0 is odd.", callIndex: 0 });
    addCallWarning(warnings, { code: "c", message: "Call 1 is odd.", callIndex: 1 });
    warnings.unshift({ code: "other", message: "first now" });
    addCallWarning(warnings, { code: "c", message: "Call 2 is odd.", callIndex: 2 });
    expect(warnings).toStrictEqual([
      { code: "other", message: "first now" },
      {
        code: "c",
        message: "Call 0 is odd. Likewise for 2 more calls of this turn (each separately): 1, 2.",
      },
    ]);
    warnings.pop();
    addCallWarning(warnings, { code: "c", message: "Call 3 is odd.", callIndex: 3 });
    expect(warnings[1]).toStrictEqual({ code: "c", message: "Call 3 is odd.", callIndex: 3 });
  });
});
