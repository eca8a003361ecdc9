import {
  errorReply,
  type ReplyFunction,
  scriptedToolModel,
  startVendorServer,
} from "@toolbatch/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectNothingLost,
  outcomeOf,
  settled,
  tapStream,
  watchUnhandledRejections,
} from "./support/loop-outcomes.js";
import { countingTools, LOOP_VENDORS, type LoopVendor } from "./support/loop-vendors.js";

/**
 * issue 15 items 8 and 9, kept fixed, through every vendor's real SDK against the loopback
 * server: a `send` that fails at a random step ends in one ToolLoopError that keeps everything
 * done before it; an abort at a random moment (before or after a request, inside a stream, as a
 * call starts, inside a tool) ends `aborted`, never thrown, and sends nothing more. Either way
 * every call that ran reaches the caller exactly once and the history is one the vendor accepts.
 * The moments are points in the loop's own course, never delays, so no run depends on timing.
 */

const RUNS = 25;
const unhandled = watchUnhandledRejections();

const conversation = {
  calls: fc.array(
    fc.record({
      name: fc.constantFrom("lookup", "write"),
      arguments: fc.record({ n: fc.nat(99) }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  parallel: fc.boolean(),
  stream: fc.boolean(),
  delays: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
};

/** Tools that count their runs and work a few ms, or until their signal aborts. */
function workingTools(delays: readonly number[], onStart?: (started: number) => void) {
  return countingTools({
    delayMs: (started) => delays[(started + 1) % delays.length] ?? 0,
    ...(onStart ? { onStart } : {}),
  });
}

async function withServer<T>(
  vendor: LoopVendor,
  replies: ReplyFunction,
  run: (url: string) => Promise<T>,
) {
  const server = await startVendorServer({ vendor: vendor.server, replies });
  try {
    return await run(server.url);
  } finally {
    await server.close();
  }
}

const failure = fc.record({
  step: fc.nat(3),
  how: fc.constantFrom("http-400", "http-500", "throws", "rejects-non-error"),
});

const moment = fc.oneof(
  fc.record({ at: fc.constant("before-send" as const), step: fc.nat(3) }),
  fc.record({ at: fc.constant("after-answer" as const), step: fc.nat(3) }),
  fc.record({ at: fc.constant("stream-event" as const), step: fc.nat(3), event: fc.nat(14) }),
  fc.record({ at: fc.constant("call-start" as const), n: fc.nat(3) }),
  fc.record({ at: fc.constant("in-tool" as const), n: fc.nat(3) }),
);

describe.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "runToolLoop interrupted (%s)",
  (_name, vendor) => {
    it(`send failing at a random step: one ToolLoopError keeping all that ran (property, ${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.record({ ...conversation, failure }), async (scenario) => {
          const { calls, parallel, stream, delays, failure } = scenario;
          const model = scriptedToolModel({ calls, answer: (results) => results.join(" | ") });
          const replies: ReplyFunction = (request, index) =>
            index === failure.step && failure.how.startsWith("http")
              ? errorReply(failure.how === "http-400" ? 400 : 500, "Scripted failure.", {
                  headers: { "x-should-retry": "false" },
                })
              : model(request, index);
          const thrown = failure.how === "throws" ? new Error("send broke") : "send broke";
          const { executions, tools } = workingTools(delays);
          const outcome = await withServer(vendor, replies, (url) =>
            outcomeOf(
              vendor.run({
                url,
                tools,
                stream,
                parallel,
                around: (step, call) => {
                  if (step !== failure.step || failure.how.startsWith("http")) return call();
                  if (failure.how === "throws") throw thrown;
                  return Promise.reject(thrown);
                },
              }),
            ),
          );
          expectNothingLost(vendor, outcome, executions);
          if (outcome.kind === "result") {
            // The conversation ended before the failing step.
            expect(outcome.result.stopReason).toBe("done");
            expect(outcome.result.steps.length).toBeLessThanOrEqual(failure.step);
          } else {
            expect(outcome.error.step).toBe(failure.step);
            expect(outcome.error.result.steps).toHaveLength(failure.step);
            expect(outcome.error.result.interrupted).toBeUndefined();
            if (!failure.how.startsWith("http")) expect(outcome.error.cause).toBe(thrown);
          }
          await settled();
          expect(unhandled.reasons.splice(0)).toStrictEqual([]);
        }),
        { numRuns: RUNS },
      );
    });

    it(`abort at a random moment: 'aborted', nothing more sent, nothing lost (property, ${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ ...conversation, moment, signalToSdk: fc.boolean() }),
          async ({ calls, parallel, stream, delays, moment, signalToSdk }) => {
            const controller = new AbortController();
            const model = scriptedToolModel({ calls, answer: (results) => results.join(" | ") });
            const { executions, tools } = workingTools(delays, (started) => {
              if (moment.at === "in-tool" && started === moment.n) controller.abort();
            });
            let sentAfterAbort = 0;
            let callStarts = 0;
            const outcome = await withServer(vendor, model, (url) =>
              outcomeOf(
                vendor.run({
                  url,
                  tools,
                  stream,
                  parallel,
                  signal: controller.signal,
                  signalToSdk,
                  onEvent: (event) => {
                    if (event.type !== "call-start") return;
                    if (moment.at === "call-start" && callStarts === moment.n) controller.abort();
                    callStarts++;
                  },
                  around: async (step, call) => {
                    if (controller.signal.aborted) sentAfterAbort++;
                    const here = "step" in moment && moment.step === step;
                    if (here && moment.at === "before-send") controller.abort();
                    const answer = await call();
                    if (here && moment.at === "after-answer") controller.abort();
                    if (!here || moment.at !== "stream-event") return answer;
                    return tapStream(answer, (seen) => {
                      if (seen === moment.event) controller.abort();
                    });
                  },
                }),
              ),
            );
            expect(outcome.kind, "an abort is never thrown").toBe("result");
            expectNothingLost(vendor, outcome, executions);
            expect(sentAfterAbort, "nothing is sent once the signal aborted").toBe(0);
            if (outcome.kind === "result") {
              expect(outcome.result.stopReason).toBe(
                controller.signal.aborted ? "aborted" : "done",
              );
            }
            await settled();
            expect(unhandled.reasons.splice(0)).toStrictEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
    });
  },
);
