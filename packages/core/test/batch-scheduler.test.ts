import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBatchScheduler, type ScheduledCall } from "../src/execution/batch-scheduler.js";

// Issue 15 item 5: the scheduler's work per call must not grow with the batch, and its decisions
// must stay exactly what the rules say (the core README, scheduling.test.ts).

interface TestCall extends ScheduledCall {
  readonly id: number;
}

/**
 * The scheduling rules, written as plainly as possible: at every take, each waiting call in batch
 * order is checked against everything before it. Quadratic, and obviously right.
 */
function createReferenceScheduler(concurrency: number) {
  const calls: TestCall[] = [];
  const state: Array<"waiting" | "running" | "finished"> = [];
  const mayStart = (position: number, runningCount: number): boolean => {
    const call = calls[position] as TestCall;
    for (let earlier = 0; earlier < position; earlier++) {
      if (state[earlier] === "finished") continue;
      const other = calls[earlier] as TestCall;
      if (call.barrier || other.barrier) return false;
      if (other.keys.some((key) => call.keys.includes(key))) return false;
    }
    return !call.barrier || runningCount === 0;
  };
  return {
    add(call: TestCall) {
      calls.push(call);
      state.push("waiting");
      return calls.length - 1;
    },
    take(): TestCall[] {
      const started: TestCall[] = [];
      let runningCount = state.filter((s) => s === "running").length;
      for (let position = 0; position < calls.length; position++) {
        if (runningCount >= concurrency) break;
        if (state[position] !== "waiting" || !mayStart(position, runningCount)) continue;
        state[position] = "running";
        runningCount++;
        started.push(calls[position] as TestCall);
      }
      return started;
    },
    finish(position: number) {
      if (state[position] === "running") state[position] = "finished";
    },
  };
}

const plan = fc.record({
  concurrency: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
  calls: fc.array(
    fc.record({
      barrier: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      keys: fc.subarray(["a", "b", "c"]),
    }),
    { maxLength: 30 },
  ),
  // Between steps: how many calls to add, then which running call (by rank) finishes.
  steps: fc.array(fc.record({ add: fc.nat(4), finish: fc.nat(10) }), { maxLength: 80 }),
});

describe("createBatchScheduler", () => {
  it("starts exactly what the rules allow, in batch order, whatever the order of events", () => {
    fc.assert(
      fc.property(plan, ({ concurrency, calls, steps }) => {
        const scheduler = createBatchScheduler<TestCall>(concurrency);
        const reference = createReferenceScheduler(concurrency);
        let added = 0;
        const running: number[] = [];
        const step = (add: number, finish: number) => {
          for (let n = 0; n < add && added < calls.length; n++, added++) {
            const call = { id: added, ...(calls[added] as ScheduledCall) };
            expect(scheduler.add(call)).toBe(reference.add(call));
          }
          const started = scheduler.take().map((call) => call.id);
          expect(started).toStrictEqual(reference.take().map((call) => call.id));
          running.push(...started);
          if (running.length > 0) {
            const [position] = running.splice(finish % running.length, 1) as [number];
            scheduler.finish(position);
            reference.finish(position);
          }
        };
        for (const { add, finish } of steps) step(add, finish);
        // Then drain: every call starts and finishes, none is left behind.
        for (let guard = 0; guard < 4 * calls.length + 4; guard++) step(calls.length, 0);
        expect(running).toStrictEqual([]);
        expect(scheduler.take()).toStrictEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("reads each call's rules a bounded number of times, however large the batch", () => {
    // Counting how often the scheduler asks a call whether it is a barrier and which keys it
    // holds measures its work without a clock: a rescan of the waiting calls on each start reads
    // them O(n²) times.
    const readsPerCall = (size: number, options: { keys: number; concurrency: number }) => {
      let reads = 0;
      const scheduler = createBatchScheduler<TestCall>(options.concurrency);
      for (let id = 0; id < size; id++) {
        const keys = options.keys > 0 ? [`key_${id % options.keys}`] : [];
        const barrier = id % 1000 === 999;
        scheduler.add({
          id,
          get barrier() {
            reads++;
            return barrier;
          },
          get keys() {
            reads++;
            return keys;
          },
        });
      }
      let running = scheduler.take();
      while (running.length > 0) {
        const [first, ...rest] = running as [TestCall, ...TestCall[]];
        scheduler.finish(first.id);
        running = [...rest, ...scheduler.take()];
      }
      return reads / size;
    };
    for (const options of [
      { keys: 10, concurrency: Number.POSITIVE_INFINITY },
      { keys: 0, concurrency: 10 },
      { keys: 3, concurrency: 2 },
    ]) {
      const small = readsPerCall(2_000, options);
      const large = readsPerCall(20_000, options);
      expect(large).toBeLessThanOrEqual(small * 1.1);
      expect(large).toBeLessThan(8);
    }
  });
});
