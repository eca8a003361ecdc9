import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createResourceLimiter,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  jsonSchema,
  type ResourceLimit,
  type ToolResult,
} from "../src/index.js";
import { batchOf } from "./support.js";

// Issue 19: random batches x random limits x one limiter shared by 2-3 batches running at once,
// on a virtual clock (vitest's fake timers, the limiter's `now` reading it), so nothing depends on
// the machine's speed. Every check reads the events: what ran when, what waited for what.

interface CallPlan {
  barrier: boolean;
  keys: string[];
  uses: string[];
  /** How long the tool runs; past the limit, whether it stops when asked. */
  ms: number;
  honoursSignal: boolean;
}
interface BatchPlan {
  calls: CallPlan[];
  at: number;
  concurrency: number;
  timeoutMs: number | undefined;
  abortAt: number | undefined;
}

const limitOf: fc.Arbitrary<ResourceLimit> = fc.record({
  concurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  rate: fc.option(
    fc.record({
      limit: fc.integer({ min: 1, max: 3 }),
      intervalMs: fc.integer({ min: 5, max: 40 }),
    }),
    { nil: undefined },
  ),
});

const callPlan: fc.Arbitrary<CallPlan> = fc.record({
  barrier: fc.constantFrom(false, false, true),
  keys: fc.subarray(["a", "b"]),
  // "free" is declared nowhere: it limits nothing.
  uses: fc.subarray(["x", "y", "free"]),
  ms: fc.integer({ min: 1, max: 60 }),
  honoursSignal: fc.boolean(),
});

const batchPlan: fc.Arbitrary<BatchPlan> = fc.record({
  calls: fc.array(callPlan, { minLength: 1, maxLength: 6 }),
  at: fc.integer({ min: 0, max: 30 }),
  concurrency: fc.constantFrom(1, 2, Number.POSITIVE_INFINITY),
  // Some calls wait with no limit: every holder ends, so they are answered all the same.
  timeoutMs: fc.option(fc.integer({ min: 5, max: 50 }), { nil: undefined }),
  abortAt: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
});

const scenario = fc.record({
  limits: fc.record({ x: limitOf, y: limitOf }),
  batches: fc.array(batchPlan, { minLength: 2, maxLength: 3 }),
});

interface Record {
  batch: number;
  index: number;
  plan: CallPlan;
}

describe("a limiter shared by batches running at once (property-based)", () => {
  beforeAll(() => {
    vi.useFakeTimers();
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("limits, rates and lock keys hold across batches; batch order within; every call answered once, waits in time", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ limits, batches }) => {
        const clock = () => Date.now();
        const origin = clock();
        const limiter = createResourceLimiter(limits, { now: clock });
        const violations: string[] = [];
        // Holding: from call-start to call-end, or to call-release for a call answered early.
        const holding = new Set<Record>();
        const starts = new Map<string, number[]>();
        const calls = batches.map((plan, batch) =>
          plan.calls.map((callPlan, index): Record => ({ batch, index, plan: callPlan })),
        );
        const ended = new Map<Record, { code: string; message: string; at: number }>();
        const started = new Map<Record, number>();
        const waits = new Map<Record, { resource: string; reason: string; at: number }[]>();
        const batchEnds = batches.map(() => 0);
        const input = jsonSchema<{ b: number; i: number }>({ type: "object" });
        const planOf = ({ b, i }: { b: number; i: number }) => calls[b]?.[i]?.plan as CallPlan;
        const execute = ({ b, i }: { b: number; i: number }, { signal }: { signal: AbortSignal }) =>
          new Promise((resolve, reject) => {
            const plan = planOf({ b, i });
            const timer = setTimeout(resolve, plan.ms, i);
            if (plan.honoursSignal) {
              signal.addEventListener("abort", () => {
                clearTimeout(timer);
                reject(signal.reason);
              });
            }
          });
        const tool = (name: string, parallel: boolean) =>
          defineTool({
            name,
            description: "",
            input,
            parallel,
            lock: (value) => planOf(value).keys,
            resources: (value) => planOf(value).uses,
            execute,
          });
        const tools = [tool("work", true), tool("alone", false)];

        const onEvent = (batch: number) => (event: ExecutionEvent) => {
          const at = clock() - origin;
          if (event.type === "batch-end") {
            batchEnds[batch] = (batchEnds[batch] ?? 0) + 1;
            return;
          }
          if (!("call" in event)) return;
          const record = calls[batch]?.[event.call.index] as Record;
          const { plan } = record;
          if (event.type === "call-wait") {
            const known = [...plan.keys, ...plan.uses.filter((use) => use !== "free")];
            if (!known.includes(event.resource)) violations.push(`wait for ${event.resource}`);
            if (event.reason === "lock" && !plan.keys.includes(event.resource))
              violations.push(`lock wait for ${event.resource}, not a key`);
            if (started.has(record) || ended.has(record)) violations.push("wait after start/end");
            waits.set(record, [...(waits.get(record) ?? []), { ...event, at }]);
          } else if (event.type === "call-start") {
            if (ended.has(record))
              violations.push(`${batch}/${record.index} started after its end`);
            const batchPlan = batches[batch] as BatchPlan;
            const mine = [...holding].filter((other) => other.batch === batch);
            if (mine.length >= batchPlan.concurrency) violations.push("batch concurrency exceeded");
            if (plan.barrier && mine.length > 0) violations.push("barrier overlapped");
            for (const other of holding) {
              if (other.plan.keys.some((key) => plan.keys.includes(key)))
                violations.push(
                  `${batch}/${record.index} shares a key with ${other.batch}/${other.index}`,
                );
              if (other.batch === batch && other.plan.barrier) violations.push("beside a barrier");
            }
            // Batch order: every earlier call of its batch that it is ordered after is done.
            for (const earlier of (calls[batch] as Record[]).slice(0, record.index)) {
              const ordered =
                plan.barrier ||
                earlier.plan.barrier ||
                earlier.plan.keys.some((key) => plan.keys.includes(key));
              if (ordered && (!ended.has(earlier) || holding.has(earlier)))
                violations.push(`${batch}/${record.index} before ${batch}/${earlier.index}`);
            }
            for (const use of new Set(plan.uses)) {
              const limit = limits[use as "x" | "y"] as ResourceLimit | undefined;
              if (!limit) continue;
              const inFlight = [...holding].filter((other) => other.plan.uses.includes(use));
              if (inFlight.length >= (limit.concurrency ?? Infinity))
                violations.push(`${use} over its concurrency`);
              starts.set(use, [...(starts.get(use) ?? []), at]);
            }
            holding.add(record);
            started.set(record, at);
          } else if (event.type === "call-end") {
            if (ended.has(record)) violations.push("answered twice");
            const result = event.result;
            const code = result.ok ? "ok" : result.error.code;
            ended.set(record, { code, message: result.ok ? "" : result.error.message, at });
            if (code !== "timeout" && code !== "aborted") holding.delete(record);
          } else if (event.type === "call-release") {
            holding.delete(record);
          }
        };

        const controllers = batches.map(() => new AbortController());
        const pending = batches.map(async (plan, b): Promise<ToolResult[]> => {
          if (plan.abortAt !== undefined) {
            const controller = controllers[b] as AbortController;
            setTimeout(() => controller.abort(new Error("cancelled")), plan.at + plan.abortAt);
          }
          await new Promise((resolve) => setTimeout(resolve, plan.at));
          const batch = batchOf(
            plan.calls.map((call, i) => ({
              name: call.barrier ? "alone" : "work",
              input: { b, i },
              id: `b${b}c${i}`,
            })),
          );
          return executeBatch(batch, tools, {
            limiter,
            concurrency: plan.concurrency,
            timeoutMs: plan.timeoutMs,
            signal: (controllers[b] as AbortController).signal,
            onEvent: onEvent(b),
          });
        });
        await vi.runAllTimersAsync();
        const results = await Promise.all(pending);
        await vi.runAllTimersAsync();

        expect(violations).toStrictEqual([]);
        expect(batchEnds).toStrictEqual(batches.map(() => 1));
        results.forEach((list, b) => {
          expect(list.map((r) => r.callId)).toStrictEqual(
            (batches[b] as BatchPlan).calls.map((_, i) => `b${b}c${i}`),
          );
        });
        // No window of intervalMs holds more than limit starts.
        for (const [use, times] of starts) {
          const rate = limits[use as "x" | "y"].rate;
          if (!rate) continue;
          for (let i = 0; i + rate.limit < times.length; i++) {
            const gap = (times[i + rate.limit] as number) - (times[i] as number);
            expect(gap, `${use} starts ${times}`).toBeGreaterThanOrEqual(rate.intervalMs);
          }
        }
        for (const record of calls.flat()) {
          const end = ended.get(record);
          expect(end, `${record.batch}/${record.index} answered`).toBeDefined();
          const told = waits.get(record);
          const aborted = (controllers[record.batch] as AbortController).signal.aborted;
          if (!told || started.has(record) || aborted || end?.code !== "not_executed") continue;
          // It waited at the limiter and never started: answered at its own limit, naming it.
          const { timeoutMs } = batches[record.batch] as BatchPlan;
          expect(timeoutMs).toBeDefined();
          expect((end?.at as number) - (told[0]?.at as number)).toBe(timeoutMs);
          expect(end?.message).toContain(`"${told.at(-1)?.resource}"`);
          expect(end?.message).toContain(`it waited its own limit of ${timeoutMs} ms`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
