import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool, executeBatch } from "../src/index.js";
import { batchOf } from "./support.js";

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
        tool.execute(call.input as { id: string }, { call, signal: new AbortController().signal }),
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
