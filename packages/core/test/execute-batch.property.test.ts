import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  defineTool,
  type ExecutionEvent,
  executeBatch,
  jsonSchema,
  startBatchExecution,
  type ToolErrorCode,
  type ToolResult,
} from "../src/index.js";
import { batchOf } from "./support.js";

/**
 * Random batches of random tool behaviour under random options and aborts, on a virtual clock
 * (vitest fake timers), so nothing here depends on how fast the machine is.
 */
type Behaviour =
  | "resolve-sync"
  | "resolve-async"
  | "throw-sync"
  | "throw-async"
  | "slow"
  | "hang"
  | "invalid";
interface CallPlan {
  tool: "work" | "barrier" | "unknown" | "__proto__";
  behaviour: Behaviour;
  delay: number;
  keys: string[];
  honoursSignal: boolean;
}

const callPlan: fc.Arbitrary<CallPlan> = fc.record({
  tool: fc.constantFrom("work", "work", "work", "barrier", "unknown", "__proto__"),
  behaviour: fc.constantFrom(
    "resolve-sync",
    "resolve-async",
    "throw-sync",
    "throw-async",
    "slow",
    "slow",
    "hang",
    "invalid",
  ),
  delay: fc.integer({ min: 1, max: 60 }),
  keys: fc.subarray(["a", "b", "c"]),
  honoursSignal: fc.boolean(),
});

const scenario = fc.record({
  calls: fc.array(callPlan, { minLength: 0, maxLength: 12 }),
  parallel: fc.boolean(),
  concurrency: fc.constantFrom(1, 2, 3, 5, Number.POSITIVE_INFINITY),
  timeoutMs: fc.integer({ min: 1, max: 80 }),
  abortAt: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
  // Whole: executeBatch. Streamed: calls added one by one at these times, then finish().
  streamedAt: fc.option(
    fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 12, maxLength: 12 }),
    { nil: undefined },
  ),
});

function sleep(ms: number, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

function makeTools(plans: readonly CallPlan[]) {
  const input = z.object({ i: z.number() });
  const execute = async ({ i }: { i: number }, { signal }: { signal: AbortSignal }) => {
    const plan = plans[i] as CallPlan;
    const honoured = plan.honoursSignal ? signal : undefined;
    switch (plan.behaviour) {
      case "throw-async":
        await Promise.resolve();
        throw new Error(`fail ${i}`);
      case "slow":
        await sleep(plan.delay, honoured);
        return { i };
      case "hang":
        await new Promise((_, reject) =>
          honoured?.addEventListener("abort", () => reject(honoured.reason)),
        );
        return { i };
      default:
        return { i };
    }
  };
  // Sync behaviours must not go through an async function.
  const run = (value: { i: number }, context: { signal: AbortSignal }) => {
    const plan = plans[value.i] as CallPlan;
    if (plan.behaviour === "throw-sync") throw `fail ${value.i}`;
    if (plan.behaviour === "resolve-sync") return { i: value.i };
    return execute(value, context);
  };
  const lock = ({ i }: { i: number }) => (plans[i] as CallPlan).keys;
  return [
    defineTool({ name: "work", description: "", input, execute: run, lock }),
    defineTool({ name: "barrier", description: "", input, execute: run, lock, parallel: false }),
  ];
}

function expectedCode(plan: CallPlan, timeoutMs: number): ToolErrorCode | "ok" | "either" {
  if (plan.tool === "unknown" || plan.tool === "__proto__") return "unknown_tool";
  switch (plan.behaviour) {
    case "invalid":
      return "invalid_input";
    case "throw-sync":
    case "throw-async":
      return "execution_failed";
    case "hang":
      return "timeout";
    case "slow":
      return plan.delay < timeoutMs ? "ok" : plan.delay > timeoutMs ? "timeout" : "either";
    default:
      return "ok";
  }
}

describe("executeBatch invariants (property-based)", () => {
  beforeAll(() => {
    vi.useFakeTimers();
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("one result per call in order; limits, locks and barriers always hold", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ calls, parallel, concurrency, timeoutMs, abortAt, streamedAt }) => {
          const tools = makeTools(calls);
          const batch = batchOf(
            calls.map((plan, i) => ({
              name: plan.tool === "unknown" ? "no_such_tool" : plan.tool,
              input: plan.behaviour === "invalid" ? { i: String(i) } : { i },
            })),
          );
          const controller = new AbortController();
          if (abortAt !== undefined)
            setTimeout(() => controller.abort(new Error("cancelled")), abortAt);

          // Running: from call-start to call-end, or to call-release for a call answered early.
          const active = new Set<number>();
          const started = new Set<number>();
          const ended: number[] = [];
          const violations: string[] = [];
          let batchEnds = 0;
          const onEvent = (event: ExecutionEvent) => {
            if (event.type === "call-start") {
              const i = event.call.index;
              const plan = calls[i] as CallPlan;
              if (active.size >= concurrency) violations.push(`limit exceeded at ${i}`);
              if ((plan.tool === "barrier" || !parallel) && active.size > 0)
                violations.push(`barrier ${i} overlapped`);
              for (const other of active) {
                const otherPlan = calls[other] as CallPlan;
                if (otherPlan.tool === "barrier" || !parallel)
                  violations.push(`${i} started beside barrier ${other}`);
                if (otherPlan.keys.some((key) => plan.keys.includes(key)))
                  violations.push(`${i} shares a key with ${other}`);
                if (other > i && plan.keys.some((key) => otherPlan.keys.includes(key)))
                  violations.push(`lock order ${other} before ${i}`);
              }
              active.add(i);
              started.add(i);
            } else if (event.type === "call-end") {
              const code = event.result.ok ? "ok" : event.result.error.code;
              // A call answered early holds its place until its tool ends (call-release).
              if (code !== "timeout" && code !== "aborted") active.delete(event.call.index);
              ended.push(event.call.index);
            } else if (event.type === "call-release") {
              active.delete(event.call.index);
            } else if (event.type === "batch-end") {
              batchEnds++;
            }
          };

          const options = { parallel, concurrency, timeoutMs, signal: controller.signal, onEvent };
          let pending: Promise<ToolResult[]>;
          if (streamedAt) {
            // Eager execution: each call is added when "the stream" completes it, in batch order.
            const execution = startBatchExecution(tools, options);
            const times = streamedAt.slice(0, batch.calls.length).sort((a, b) => a - b);
            pending = (async () => {
              let clock = 0;
              for (const [i, call] of batch.calls.entries()) {
                const at = times[i] as number;
                if (at > clock) await new Promise((resolve) => setTimeout(resolve, at - clock));
                clock = Math.max(clock, at);
                execution.add(call);
              }
              return execution.finish(batch);
            })();
          } else {
            pending = executeBatch(batch, tools, options);
          }
          await vi.runAllTimersAsync();
          const results: ToolResult[] = await pending;

          expect(violations).toStrictEqual([]);
          expect(results.map((r) => r.callId)).toStrictEqual(batch.calls.map((c) => c.id));
          expect(results.map((r) => r.name)).toStrictEqual(batch.calls.map((c) => c.name));
          expect([...ended].sort((a, b) => a - b)).toStrictEqual(calls.map((_, i) => i));
          expect(batchEnds).toBe(1);
          const abortFired = abortAt !== undefined && controller.signal.aborted;
          results.forEach((result, i) => {
            const code = result.ok ? "ok" : result.error.code;
            const expected = expectedCode(calls[i] as CallPlan, timeoutMs);
            if (code === "aborted") {
              expect(abortFired).toBe(true);
              expect(started.has(i)).toBe(true);
            } else if (code === "not_executed") {
              expect(started.has(i)).toBe(false);
              // Cancelled, or held up past its own limit by a call that ignored its signal.
              if (!abortFired)
                expect(result.ok ? "" : result.error.message).toMatch(
                  /ran past (its|their) time limit/,
                );
            } else if (expected === "either") {
              expect(["ok", "timeout"]).toContain(code);
            } else {
              expect(code).toBe(expected);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a cut-off turn starts nothing once finished, whatever validations are still pending", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            validationMs: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
            addAt: fc.integer({ min: 0, max: 40 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(8),
        fc.constantFrom(1, 2, Number.POSITIVE_INFINITY),
        async (plans, finishAt, addedCount, concurrency) => {
          let finished = false;
          const lateStarts: number[] = [];
          const tool = defineTool({
            name: "work",
            description: "",
            input: jsonSchema<{ i: number }>(
              { type: "object" },
              {
                // Synchronous, or settled later on the virtual clock.
                validate: (value) => {
                  const ms = plans[(value as { i: number }).i]?.validationMs;
                  const result = { value: value as { i: number } };
                  return ms === undefined
                    ? result
                    : new Promise((resolve) => setTimeout(() => resolve(result), ms));
                },
              },
            ),
            execute: async ({ i }) => {
              if (finished) lateStarts.push(i);
              await new Promise((resolve) => setTimeout(resolve, 5));
              return i;
            },
          });
          const batch = batchOf(
            plans.map((_, i) => ({ name: "work", input: { i } })),
            { complete: false },
          );
          const execution = startBatchExecution([tool], { concurrency });
          const added = Math.min(addedCount, plans.length);
          const times = plans
            .slice(0, added)
            .map((plan) => plan.addAt)
            .sort((a, b) => a - b);
          const pending = (async () => {
            let clock = 0;
            for (const [i, at] of times.entries()) {
              if (at > clock) await new Promise((resolve) => setTimeout(resolve, at - clock));
              clock = Math.max(clock, at);
              execution.add(batch.calls[i] as never);
            }
            if (finishAt > clock)
              await new Promise((resolve) => setTimeout(resolve, finishAt - clock));
            finished = true;
            return execution.finish(batch);
          })();
          await vi.runAllTimersAsync();
          const results = await pending;
          await vi.runAllTimersAsync();
          expect(lateStarts).toStrictEqual([]);
          expect(results.map((r) => r.callId)).toStrictEqual(batch.calls.map((c) => c.id));
          results.slice(added).forEach((result) => {
            expect(result.ok ? "ok" : result.error.code).toBe("not_executed");
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
