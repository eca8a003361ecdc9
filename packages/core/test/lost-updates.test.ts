import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineTool, executeBatch } from "../src/index.js";
import { batchOf, expectNoUnhandledRejections } from "./support.js";

/** A record store whose reads and writes each take a turn of the event loop, like any database. */
function createStore() {
  const rows = new Map<string, number>([["counter", 0]]);
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async read(id: string) {
      await tick();
      return rows.get(id) ?? 0;
    },
    async write(id: string, value: number) {
      await tick();
      rows.set(id, value);
    },
  };
}

const CALLS = 1000;

describe("read-modify-write under parallel calls", () => {
  const makeIncrement = (store: ReturnType<typeof createStore>, withLock: boolean) =>
    defineTool({
      name: "increment",
      description: "Adds one to a record",
      input: z.object({ id: z.string() }),
      ...(withLock ? { lock: ({ id }: { id: string }) => `record:${id}` } : {}),
      execute: async ({ id }) => {
        const value = await store.read(id);
        await store.write(id, value + 1);
        return value + 1;
      },
    });
  const batch = batchOf(
    Array.from({ length: CALLS }, () => ({ name: "increment", input: { id: "counter" } })),
  );

  it("loses updates under a plain Promise.all", async () => {
    const store = createStore();
    const tool = makeIncrement(store, false);
    await Promise.all(
      batch.calls.map((call) =>
        tool.execute(call.input as { id: string }, {
          call,
          batchId: "a batch",
          signal: new AbortController().signal,
        }),
      ),
    );
    const final = await store.read("counter");
    expect(final).toBeLessThan(CALLS);
    expect(final).toBe(1);
  });

  it("loses updates through executeBatch without a lock, too", async () => {
    const store = createStore();
    await executeBatch(batch, [makeIncrement(store, false)]);
    expect(await store.read("counter")).toBeLessThan(CALLS);
  });

  it("loses none through executeBatch with a lock key, and answers in order", async () => {
    const store = createStore();
    const results = await executeBatch(batch, [makeIncrement(store, true)]);
    expect(await store.read("counter")).toBe(CALLS);
    expect(results.map((r) => (r.ok ? r.output : null))).toStrictEqual(
      Array.from({ length: CALLS }, (_, i) => i + 1),
    );
  });
});

describe("read-modify-write past the time limit (issue 15 item 3)", () => {
  expectNoUnhandledRejections();

  it("loses none when tools run past their limit and ignore their signal", async () => {
    vi.useFakeTimers();
    try {
      // Reads and writes take 0 to 3 ms of virtual time (a fixed pseudo-random sequence); the
      // limit is 3 ms, so many calls time out while their write is still to come.
      let seed = 15;
      const pause = () => {
        seed = (seed * 48_271) % 2_147_483_647;
        return new Promise<void>((resolve) => setTimeout(resolve, seed % 4));
      };
      let counter = 0;
      let writes = 0;
      let inside = 0;
      let overlaps = 0;
      const increment = defineTool({
        name: "increment",
        description: "Adds one to a record",
        input: z.object({ id: z.string() }),
        lock: ({ id }) => `record:${id}`,
        timeoutMs: 3,
        execute: async () => {
          if (inside++ > 0) overlaps++;
          await pause();
          const value = counter;
          await pause();
          counter = value + 1;
          writes++;
          inside--;
          return value + 1;
        },
      });
      const pending = executeBatch(
        batchOf(Array.from({ length: 3000 }, () => ({ name: "increment", input: { id: "c" } }))),
        [increment],
      );
      await vi.runAllTimersAsync();
      const results = await pending;
      await vi.runAllTimersAsync();
      expect({ overlaps, lost: writes - counter }).toStrictEqual({ overlaps: 0, lost: 0 });
      const codes = new Set(results.map((r) => (r.ok ? "ok" : r.error.code)));
      expect([...codes].sort()).toStrictEqual(["not_executed", "ok", "timeout"]);
      // Every call that reported success wrote, and no write was lost.
      expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(writes);
    } finally {
      vi.useRealTimers();
    }
  });
});
