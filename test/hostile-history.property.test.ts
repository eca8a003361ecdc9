import { hostileHistoryArbitrary } from "@toolbatch/contract";
import { convertHistory, InvalidHistoryError, type RenderedHistory } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VENDOR_PROFILES } from "./support/vendor-profiles.js";

const codecs = VENDOR_PROFILES.map((profile) => [profile.name, profile.codec] as const);
const pairs = codecs.flatMap(([fromName, from]) =>
  codecs.map(([toName, to]) => {
    const name = `${fromName} -> ${toName}`;
    return { name, from, to, [fc.toStringMethod]: () => name };
  }),
);

/** What a conversion threw, or `undefined` when it succeeded. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error ?? new Error(`threw ${String(error)}`);
  }
}

describe("malformed histories, through every pair of codecs", () => {
  // A history loaded from storage, or handed over by mistake, is untyped: whatever it holds,
  // converting it either works or throws InvalidHistoryError, saying where it went wrong; what
  // it converts to, the target reads back; and a system prompt given goes where the target
  // keeps system instructions.
  it("convert, or are refused with InvalidHistoryError and nothing else (property)", () => {
    fc.assert(
      fc.property(
        hostileHistoryArbitrary(),
        fc.constantFrom(...pairs),
        fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
        (hostile, pair, system) => {
          let converted: RenderedHistory<unknown> | undefined;
          const error = thrownBy(() => {
            const history = hostile.history() as never[];
            converted = convertHistory(history, pair.from, pair.to, system ? { system } : {});
          });
          if (error !== undefined) {
            expect(InvalidHistoryError.isInstance(error), `${pair.name}: ${String(error)}`).toBe(
              true,
            );
            expect((error as Error).message).toMatch(/^\[toolbatch\/[a-z]+\] history/);
            return;
          }
          const messages = converted?.messages ?? [];
          let readBack: string | undefined;
          expect(
            thrownBy(() => {
              readBack = pair.to.read(messages).transcript.system;
            }),
          ).toBeUndefined();
          if (system) {
            const kept = pair.to.systemPlacement === "request" ? converted?.system : readBack;
            expect(kept?.startsWith(system), `${pair.name}: system ${kept}`).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
