import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  defineTool,
  type ExecutionEvent,
  executeBatch,
  jsonSchema,
  type LockKeys,
  startBatchExecution,
  type ToolResult,
} from "../src/index.js";
import { batchOf, deferred, expectNoUnhandledRejections } from "./support.js";

// Issue 15 item 3: a call answered before its tool ended (timeout, abort) keeps its lock keys,
// barrier and concurrency place until the tool really ends. The model gets the timeout on time;
// a call waiting behind such a call never overlaps it, and is answered within its own limit
// without having run if the holder does not end first. Virtual time: nothing here depends on
// the machine's speed.

expectNoUnhandledRejections();
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const code = (result: ToolResult | undefined) =>
  result === undefined ? "missing" : result.ok ? "ok" : result.error.code;
const text = (result: ToolResult | undefined) => (result && !result.ok ? result.error.message : "");

/**
 * Tools that ignore their signal and end only when the test releases them, recording which calls
 * run (inside the tool, not from events) and every overlap of calls that must not overlap.
 */
function harness() {
  const running = new Set<number>();
  const gates = new Map<number, () => void>();
  const starts: number[] = [];
  const overlaps: string[] = [];
  const input = jsonSchema<{ n: number; key?: string; alone?: boolean }>({ type: "object" });
  const execute = async ({ n }: { n: number }) => {
    for (const other of running) overlaps.push(`${n} started beside ${other}`);
    running.add(n);
    starts.push(n);
    const gate = deferred();
    gates.set(n, gate.resolve);
    await gate.promise;
    running.delete(n);
    return n;
  };
  const lock = ({ key }: { key?: string }): LockKeys => key;
  const tools = [
    defineTool({ name: "work", description: "", input, execute, lock, timeoutMs: 10 }),
    defineTool({ name: "slow", description: "", input, execute, lock, timeoutMs: 20 }),
    defineTool({ name: "alone", description: "", input, execute, parallel: false, timeoutMs: 10 }),
    defineTool({ name: "unlimited", description: "", input, execute, lock }),
  ];
  const release = async (n: number) => {
    gates.get(n)?.();
    gates.delete(n);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { tools, running, starts, overlaps, release };
}

const call = (name: string, n: number, key?: string) => ({
  name,
  input: key === undefined ? { n } : { n, key },
});

describe("a timed-out call keeps what it holds until its tool ends", () => {
  it.each([
    ["a shared lock key", [call("work", 0, "k"), call("slow", 1, "k")], {}],
    ["a barrier after it", [call("work", 0), call("alone", 1)], {}],
    ["a barrier that timed out", [call("alone", 0), call("slow", 1)], {}],
    ["the concurrency limit", [call("work", 0), call("slow", 1)], { concurrency: 1 }],
    ["parallel: false", [call("work", 0), call("slow", 1)], { parallel: false }],
  ])("%s: the next call starts only once the tool ended", async (_name, calls, options) => {
    const h = harness();
    const events: string[] = [];
    const done = executeBatch(batchOf(calls), h.tools, {
      ...options,
      onEvent: (event) =>
        events.push(`${event.type}${"call" in event ? ` ${event.call.index}` : ""}`),
    });
    await vi.advanceTimersByTimeAsync(10);
    // The model's answer for call 0 is in on time; its tool still runs, and call 1 waits.
    expect(events).toStrictEqual(["batch-start", "call-start 0", "call-end 0"]);
    expect(h.starts).toStrictEqual([0]);
    await vi.advanceTimersByTimeAsync(5);
    expect(h.starts).toStrictEqual([0]);
    await h.release(0);
    expect(h.starts).toStrictEqual([0, 1]);
    await h.release(1);
    expect((await done).map(code)).toStrictEqual(["timeout", "ok"]);
    expect(events).toStrictEqual([
      "batch-start",
      "call-start 0",
      "call-end 0",
      "call-release 0",
      "call-start 1",
      "call-end 1",
      "batch-end",
    ]);
    expect(h.overlaps).toStrictEqual([]);
  });
});

describe("a call held up by a call past its limit", () => {
  it("is answered not_executed at its own limit, naming the busy lock, without running", async () => {
    const h = harness();
    let settled = false;
    const done = executeBatch(batchOf([call("work", 0, "k"), call("slow", 1, "k")]), h.tools);
    void done.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(29);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // The batch is answered although call 0's tool never ended.
    expect(settled).toBe(true);
    const results = await done;
    expect(results.map(code)).toStrictEqual(["timeout", "not_executed"]);
    expect(text(results[1])).toBe(
      'Tool "slow" was not run: the lock "k" it needs is still held by call "call_0" (tool "work"), which ran past its time limit and has not ended yet; it waited its own limit of 20 ms for it, and nothing of it ran.',
    );
    expect(h.starts).toStrictEqual([0]);
    await h.release(0);
    expect(h.starts).toStrictEqual([0]);
  });

  it("without a limit of its own, waits as long as the holder's limit: a holder that never ends hangs nothing", async () => {
    const h = harness();
    let settled = false;
    const done = executeBatch(batchOf([call("work", 0, "k"), call("unlimited", 1, "k")]), h.tools);
    void done.then(() => {
      settled = true;
    });
    // Call 0 is answered at 10 ms; call 1 waits call 0's 10 ms more, then is answered.
    await vi.advanceTimersByTimeAsync(19);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    const results = await done;
    expect(results.map(code)).toStrictEqual(["timeout", "not_executed"]);
    expect(text(results[1])).toBe(
      'Tool "unlimited" was not run: the lock "k" it needs is still held by call "call_0" (tool "work"), which ran past its time limit and has not ended yet; it has no time limit of its own, so it waited as long as that call\'s limit, 10 ms, and nothing of it ran.',
    );
    // Call 0's tool never ends; call 1 never ran.
    expect(h.starts).toStrictEqual([0]);
  });

  it("runs as usual when the holder ends within its limit", async () => {
    const h = harness();
    const done = executeBatch(batchOf([call("work", 0, "k"), call("slow", 1, "k")]), h.tools);
    await vi.advanceTimersByTimeAsync(25);
    await h.release(0);
    expect(h.starts).toStrictEqual([0, 1]);
    await h.release(1);
    expect((await done).map(code)).toStrictEqual(["timeout", "ok"]);
  });

  it("a whole line behind one stuck call is answered at once, not one limit after another", async () => {
    const h = harness();
    const calls = [call("work", 0, "k"), ...[1, 2, 3, 4].map((n) => call("slow", n, "k"))];
    let settledAt: number | undefined;
    const done = executeBatch(batchOf(calls), h.tools).then((results) => {
      settledAt = Date.now();
      return results;
    });
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(30);
    expect(settledAt).toBe(startedAt + 30);
    expect((await done).map(code)).toStrictEqual([
      "timeout",
      "not_executed",
      "not_executed",
      "not_executed",
      "not_executed",
    ]);
    expect(h.starts).toStrictEqual([0]);
  });

  it("a call added later (streamed) waits its full limit from when it came", async () => {
    const h = harness();
    const batch = batchOf([call("work", 0, "k"), call("slow", 1, "k")]);
    const execution = startBatchExecution(h.tools);
    execution.add(batch.calls[0] as never);
    await vi.advanceTimersByTimeAsync(15);
    // Call 0 was answered at 10; call 1 comes at 15, past 10 + its 20 ms only at 35.
    execution.add(batch.calls[1] as never);
    const done = execution.finish(batch);
    await vi.advanceTimersByTimeAsync(19);
    await h.release(0);
    expect(h.starts).toStrictEqual([0, 1]);
    await h.release(1);
    expect((await done).map(code)).toStrictEqual(["timeout", "ok"]);
  });

  it("says which resource was busy: a barrier, or the concurrency limit", async () => {
    const h = harness();
    const behindBarrier = executeBatch(batchOf([call("alone", 0), call("slow", 1)]), h.tools);
    const barrierWaits = executeBatch(batchOf([call("work", 0), call("alone", 1)]), h.tools);
    const limit = executeBatch(batchOf([call("work", 0), call("slow", 1)]), h.tools, {
      concurrency: 1,
    });
    await vi.advanceTimersByTimeAsync(30);
    const [first, second, third] = await Promise.all([behindBarrier, barrierWaits, limit]);
    expect(text(first?.[1])).toBe(
      'Tool "slow" was not run: call "call_0" (tool "alone") runs alone (parallel: false) and has not ended yet, though it ran past its time limit; it waited its own limit of 20 ms for it, and nothing of it ran.',
    );
    expect(text(second?.[1])).toBe(
      'Tool "alone" was not run: it runs alone (parallel: false), and call "call_0" (tool "work") has not ended yet, though it ran past its time limit; it waited its own limit of 10 ms for it, and nothing of it ran.',
    );
    expect(text(third?.[1])).toBe(
      'Tool "slow" was not run: every place under the batch\'s concurrency limit (1 at once) is taken by calls that ran past their time limit and have not ended yet, call "call_0" (tool "work") among them; it waited its own limit of 20 ms for it, and nothing of it ran.',
    );
  });

  it("a later batch sharing nothing with it is not held up (locks are per batch)", async () => {
    const h = harness();
    void executeBatch(batchOf([call("work", 0, "k")]), h.tools);
    await vi.advanceTimersByTimeAsync(10);
    const later = executeBatch(batchOf([call("work", 1, "other")]), h.tools);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.starts).toStrictEqual([0, 1]);
    await h.release(1);
    expect((await later).map(code)).toStrictEqual(["ok"]);
  });
});

describe("the batch's abort", () => {
  it("answers at once, and the cancelled call's tool is released when it ends", async () => {
    const h = harness();
    const controller = new AbortController();
    const events: ExecutionEvent[] = [];
    const done = executeBatch(batchOf([call("slow", 0, "k"), call("slow", 1, "k")]), h.tools, {
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error("user left"));
    expect((await done).map(code)).toStrictEqual(["aborted", "not_executed"]);
    expect(events.map((event) => event.type)).toStrictEqual([
      "batch-start",
      "call-start",
      "call-end",
      "call-end",
      "batch-end",
    ]);
    await vi.advanceTimersByTimeAsync(7);
    await h.release(0);
    const release = events.at(-1);
    expect(release).toMatchObject({
      type: "call-release",
      call: { index: 0 },
      outcome: { ok: true, output: 0 },
      durationMs: 12,
    });
    expect(h.starts).toStrictEqual([0]);
  });
});
