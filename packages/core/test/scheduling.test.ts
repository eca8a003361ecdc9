import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool, executeBatch, type LockKeys } from "../src/index.js";
import { batchOf, deferred, flush } from "./support.js";

/**
 * Tools whose calls finish only when the test says so, recording what runs at each moment.
 * No timing: the test releases calls one by one and reads who is running.
 */
function harness(options: { lock?: (input: { n: number; keys?: string[] }) => LockKeys } = {}) {
  const running = new Set<number>();
  const gates = new Map<number, () => void>();
  const log: string[] = [];
  const execute = async ({ n }: { n: number }) => {
    running.add(n);
    log.push(`start ${n}`);
    const gate = deferred();
    gates.set(n, gate.resolve);
    await gate.promise;
    running.delete(n);
    log.push(`end ${n}`);
    return n;
  };
  const input = z.object({ n: z.number(), keys: z.array(z.string()).optional() });
  const work = defineTool({
    name: "work",
    description: "",
    input,
    execute,
    ...(options.lock ? { lock: options.lock } : {}),
  });
  const barrier = defineTool({ name: "barrier", description: "", input, execute, parallel: false });
  const release = async (n: number) => {
    const open = gates.get(n);
    if (!open) throw new Error(`call ${n} is not running`);
    gates.delete(n);
    open();
    await flush();
  };
  const runningNow = () => [...running].sort((a, b) => a - b);
  return { tools: [work, barrier], release, runningNow, log };
}

describe("scheduling", () => {
  it("runs every call at once by default", async () => {
    const h = harness();
    const done = executeBatch(
      batchOf([0, 1, 2, 3].map((n) => ({ name: "work", input: { n } }))),
      h.tools,
    );
    await flush();
    expect(h.runningNow()).toStrictEqual([0, 1, 2, 3]);
    for (const n of [3, 1, 2, 0]) await h.release(n);
    expect((await done).map((r) => r.ok)).toStrictEqual([true, true, true, true]);
  });

  it("parallel: false runs one call at a time in batch order", async () => {
    const h = harness();
    const done = executeBatch(
      batchOf([0, 1, 2].map((n) => ({ name: "work", input: { n } }))),
      h.tools,
      { parallel: false },
    );
    for (const n of [0, 1, 2]) {
      await flush();
      expect(h.runningNow()).toStrictEqual([n]);
      await h.release(n);
    }
    await done;
    expect(h.log).toStrictEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
  });

  it("concurrency caps calls in flight and fills freed slots in batch order", async () => {
    const h = harness();
    const done = executeBatch(
      batchOf([0, 1, 2, 3, 4].map((n) => ({ name: "work", input: { n } }))),
      h.tools,
      { concurrency: 2 },
    );
    await flush();
    expect(h.runningNow()).toStrictEqual([0, 1]);
    await h.release(1);
    expect(h.runningNow()).toStrictEqual([0, 2]);
    await h.release(0);
    expect(h.runningNow()).toStrictEqual([2, 3]);
    await h.release(3);
    await h.release(2);
    expect(h.runningNow()).toStrictEqual([4]);
    await h.release(4);
    await done;
  });

  it("a barrier tool waits for what is in flight, runs alone, then the rest resume", async () => {
    const h = harness();
    const done = executeBatch(
      batchOf([
        { name: "work", input: { n: 0 } },
        { name: "work", input: { n: 1 } },
        { name: "barrier", input: { n: 2 } },
        { name: "work", input: { n: 3 } },
        { name: "work", input: { n: 4 } },
      ]),
      h.tools,
    );
    await flush();
    expect(h.runningNow()).toStrictEqual([0, 1]);
    await h.release(0);
    expect(h.runningNow()).toStrictEqual([1]);
    await h.release(1);
    expect(h.runningNow()).toStrictEqual([2]);
    await h.release(2);
    expect(h.runningNow()).toStrictEqual([3, 4]);
    await h.release(4);
    await h.release(3);
    await done;
  });

  it("calls sharing a lock key run one at a time in batch order while others overlap", async () => {
    const h = harness({ lock: ({ keys }) => keys });
    const calls = [
      { n: 0, keys: ["a"] },
      { n: 1, keys: ["b"] },
      { n: 2, keys: ["a"] },
      { n: 3, keys: ["a", "b"] },
      { n: 4 },
    ];
    const done = executeBatch(batchOf(calls.map((input) => ({ name: "work", input }))), h.tools);
    await flush();
    expect(h.runningNow()).toStrictEqual([0, 1, 4]);
    await h.release(1);
    expect(h.runningNow()).toStrictEqual([0, 4]);
    await h.release(0);
    expect(h.runningNow()).toStrictEqual([2, 4]);
    await h.release(2);
    expect(h.runningNow()).toStrictEqual([3, 4]);
    await h.release(3);
    await h.release(4);
    expect((await done).every((r) => r.ok)).toBe(true);
  });

  it("a later call may overtake one waiting for a lock, but not one waiting for a barrier", async () => {
    const h = harness({ lock: ({ keys }) => keys });
    const done = executeBatch(
      batchOf([
        { name: "work", input: { n: 0, keys: ["k"] } },
        { name: "work", input: { n: 1, keys: ["k"] } },
        { name: "work", input: { n: 2 } },
        { name: "barrier", input: { n: 3 } },
        { name: "work", input: { n: 4 } },
      ]),
      h.tools,
    );
    await flush();
    expect(h.runningNow()).toStrictEqual([0, 2]);
    await h.release(2);
    expect(h.runningNow()).toStrictEqual([0]);
    await h.release(0);
    expect(h.runningNow()).toStrictEqual([1]);
    await h.release(1);
    expect(h.runningNow()).toStrictEqual([3]);
    await h.release(3);
    await h.release(4);
    await done;
  });

  it("calls that fail before running neither take a slot nor act as barriers", async () => {
    const h = harness();
    const done = executeBatch(
      batchOf([
        { name: "barrier", input: { n: "not a number" } },
        { name: "missing" },
        { name: "work", input: { n: 2 } },
        { name: "work", input: { n: 3 } },
      ]),
      h.tools,
      { concurrency: 2 },
    );
    await flush();
    expect(h.runningNow()).toStrictEqual([2, 3]);
    await h.release(2);
    await h.release(3);
    expect((await done).map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "invalid_input",
      "unknown_tool",
      "ok",
      "ok",
    ]);
  });
});
