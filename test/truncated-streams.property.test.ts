import {
  type ReplyFunction,
  scriptedToolModel,
  sseTextReply,
  startVendorServer,
} from "@toolbatch/contract";
import { TruncatedStreamError } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectNothingLost,
  outcomeOf,
  settled,
  watchUnhandledRejections,
} from "./support/loop-outcomes.js";
import { countingTools, LOOP_VENDORS, type LoopVendor, sseBytes } from "./support/loop-vendors.js";

/**
 * issue 15 items 6 and 7, kept fixed: every vendor's real SDK reads a streamed turn cut at a
 * random byte (a proxy or a network that drops the connection) through runToolLoop. Whatever the
 * cut, every call that ran (counted inside the tools) reaches the caller exactly once, in the
 * loop's result or in ToolLoopError.result, every call of every step is answered, the history
 * stays one the vendor accepts, and nothing is left as an unhandled rejection.
 */

const RUNS = 30;
const unhandled = watchUnhandledRejections();

const scenario = fc.record({
  calls: fc.array(
    fc.record({
      name: fc.constantFrom("lookup", "write"),
      arguments: fc.record({ n: fc.nat(99) }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  // Off: one call per turn (Gemini has no switch and sends them all), so more steps to cut.
  parallel: fc.boolean(),
  // Which request's stream is cut, and where (modulo its length in bytes).
  cutRequest: fc.nat(3),
  cutAt: fc.nat(),
  // How long each tool works (ms), so some calls are still running when the cut arrives.
  delays: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
});

function truncating(
  vendor: LoopVendor,
  model: ReplyFunction,
  cutRequest: number,
  cutAt: number,
): ReplyFunction {
  return async (request, index) => {
    const reply = await model(request, index);
    const body = index === cutRequest ? sseBytes(reply, vendor.doneFrame) : undefined;
    return body ? sseTextReply(body.subarray(0, cutAt % (body.length + 1))) : reply;
  };
}

describe.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "a stream cut at a random byte (%s)",
  (_name, vendor) => {
    it(`loses no call that ran, answers each once, keeps a valid history (property, ${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ calls, parallel, cutRequest, cutAt, delays }) => {
          const model = scriptedToolModel({ calls, answer: (results) => results.join(" | ") });
          const server = await startVendorServer({
            vendor: vendor.server,
            replies: truncating(vendor, model, cutRequest, cutAt),
          });
          const { executions, tools } = countingTools({
            delayMs: (started) => delays[started % delays.length] ?? 0,
          });
          try {
            const outcome = await outcomeOf(
              vendor.run({ url: server.url, tools, stream: true, parallel }),
            );
            expectNothingLost(vendor, outcome, executions);
            if (outcome.kind === "result") {
              // The cut left the turn whole (or fell past the conversation).
              expect(outcome.result.stopReason).toBe("done");
            } else {
              expect(outcome.error.step).toBe(cutRequest);
              const { cause } = outcome.error;
              // The SDK's own parse error, or the loop's for a cut between two events.
              expect(cause instanceof Error || TruncatedStreamError.isInstance(cause)).toBe(true);
            }
          } finally {
            await server.close();
          }
          await settled();
          expect(unhandled.reasons.splice(0)).toStrictEqual([]);
        }),
        { numRuns: RUNS },
      );
    });
  },
);
