import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createResourceLimiter,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  InvalidOptionError,
  InvalidToolDefinitionError,
  jsonSchema,
  type ResourceLimiter,
  startBatchExecution,
  type ToolResult,
} from "../src/index.js";
import { batchOf, deferred, flush } from "./support.js";

// Issue 19: the executor with a shared limiter: calls wait for a resource's budget or a lock key
// held in another batch, told by call-wait, answered by their own time limit, holding nothing.

interface Input {
  n: number;
  keys?: string[];
  uses?: string[];
}

/** A tool whose calls end when the test says, recording which run. */
function harness() {
  const running = new Set<number>();
  const started: number[] = [];
  const gates = new Map<number, () => void>();
  const tool = defineTool({
    name: "work",
    description: "Does the work.",
    input: jsonSchema<Input>({ type: "object" }),
    lock: ({ keys }) => keys,
    resources: ({ uses }) => uses,
    execute: async ({ n }) => {
      running.add(n);
      started.push(n);
      const gate = deferred();
      gates.set(n, gate.resolve);
      await gate.promise;
      running.delete(n);
      return n;
    },
  });
  const release = async (n: number) => {
    const open = gates.get(n);
    if (!open) throw new Error(`call ${n} is not running`);
    gates.delete(n);
    open();
    await flush();
  };
  return { tool, running, started, release, now: () => [...running].sort((a, b) => a - b) };
}

const batchOfInputs = (inputs: Input[], ids = "c") =>
  batchOf(inputs.map((input) => ({ name: "work", input, id: `${ids}${input.n}` })));

const codes = (results: ToolResult[]) => results.map((r) => (r.ok ? "ok" : r.error.code));

afterEach(() => {
  vi.useRealTimers();
});

describe("executeBatch with a limiter", () => {
  it("a call past a resource's limit waits, told by call-wait, and starts when a place frees", async () => {
    const h = harness();
    const limiter = createResourceLimiter({ api: { concurrency: 2 } });
    const events: ExecutionEvent[] = [];
    const done = executeBatch(
      batchOfInputs([0, 1, 2, 3].map((n) => ({ n, uses: ["api"] }))),
      [h.tool],
      { limiter, onEvent: (event) => events.push(event) },
    );
    await flush();
    expect(h.now()).toStrictEqual([0, 1]);
    const waits = events.filter((event) => event.type === "call-wait");
    expect(waits.map((w) => [w.call.index, w.resource, w.reason])).toStrictEqual([
      [2, "api", "concurrency"],
      [3, "api", "concurrency"],
    ]);
    await h.release(1);
    expect(h.now()).toStrictEqual([0, 2]);
    await h.release(0);
    await h.release(2);
    await h.release(3);
    expect(codes(await done)).toStrictEqual(["ok", "ok", "ok", "ok"]);
    // A call that waited gets one call-start, when its budget came.
    const types = events.filter((e) => "call" in e && e.call.index === 3).map((e) => e.type);
    expect(types).toStrictEqual(["call-wait", "call-start", "call-end"]);
  });

  it("two batches sharing a limiter share the budget; without it, resources limit nothing", async () => {
    const h = harness();
    const limiter = createResourceLimiter({ api: { concurrency: 1 } });
    const first = executeBatch(batchOfInputs([{ n: 0, uses: ["api"] }]), [h.tool], { limiter });
    const second = executeBatch(batchOfInputs([{ n: 1, uses: ["api"] }], "d"), [h.tool], {
      limiter,
    });
    const free = executeBatch(batchOfInputs([{ n: 2, uses: ["api"] }], "e"), [h.tool]);
    await flush();
    expect(h.now()).toStrictEqual([0, 2]);
    await h.release(0);
    expect(h.now()).toStrictEqual([1, 2]);
    await h.release(1);
    await h.release(2);
    expect([...codes(await first), ...codes(await second), ...codes(await free)]).toStrictEqual([
      "ok",
      "ok",
      "ok",
    ]);
  });

  it("lock keys hold across batches sharing a limiter, in batch order within each", async () => {
    const h = harness();
    const limiter = createResourceLimiter({});
    const events: ExecutionEvent[] = [];
    const onEvent = (event: ExecutionEvent) => events.push(event);
    const first = executeBatch(batchOfInputs([{ n: 0, keys: ["k"] }]), [h.tool], { limiter });
    const second = executeBatch(
      batchOfInputs([{ n: 1, keys: ["k"] }, { n: 2, keys: ["k"] }, { n: 3 }], "d"),
      [h.tool],
      { limiter, onEvent },
    );
    // Without the limiter a batch knows only its own lock keys.
    const alone = executeBatch(batchOfInputs([{ n: 4, keys: ["k"] }], "e"), [h.tool]);
    await flush();
    expect(h.now()).toStrictEqual([0, 3, 4]);
    expect(events.filter((e) => e.type === "call-wait").map((e) => e.resource)).toStrictEqual([
      "k",
    ]);
    await h.release(0);
    expect(h.now()).toStrictEqual([1, 3, 4]);
    await h.release(1);
    expect(h.now()).toStrictEqual([2, 3, 4]);
    for (const n of [2, 3, 4]) await h.release(n);
    await Promise.all([first, second, alone]);
    // The second call on k waited in its batch's order, not at the limiter.
    expect(events.filter((e) => e.type === "call-wait")).toHaveLength(1);
  });

  it("a call whose budget never comes is answered not_executed by its own time limit, and never starts", async () => {
    vi.useFakeTimers();
    const h = harness();
    const limiter = createResourceLimiter({ api: { concurrency: 1 } });
    const holder = executeBatch(batchOfInputs([{ n: 0, uses: ["api"] }]), [h.tool], { limiter });
    await flush();
    const waiting = executeBatch(
      batchOfInputs(
        [
          { n: 1, uses: ["api"], keys: ["k"] },
          { n: 2, keys: ["k"] },
        ],
        "d",
      ),
      [h.tool],
      { limiter, timeoutMs: 50 },
    );
    await flush();
    await vi.advanceTimersByTimeAsync(49);
    expect(h.started).toStrictEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    // The next call on k in its batch was not held by the one that waited: it runs now.
    expect(h.now()).toStrictEqual([0, 2]);
    await h.release(2);
    const results = await waiting;
    expect(results[0]).toMatchObject({
      ok: false,
      error: {
        code: "not_executed",
        message:
          'Tool "work" was not run: the resource "api" already had as many calls in flight as its limit allows; it waited its own limit of 50 ms for it, and nothing of it ran.',
      },
    });
    await h.release(0);
    await holder;
    expect(h.started).toStrictEqual([0, 2]);
  });

  it("a timed-out call whose tool ignores its signal keeps its lock key in the limiter until it ends", async () => {
    vi.useFakeTimers();
    const h = harness();
    const limiter = createResourceLimiter({});
    const events: ExecutionEvent[] = [];
    const first = executeBatch(batchOfInputs([{ n: 0, keys: ["k"] }]), [h.tool], {
      limiter,
      timeoutMs: 10,
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(codes(await first)).toStrictEqual(["timeout"]);
    const second = executeBatch(batchOfInputs([{ n: 1, keys: ["k"] }], "d"), [h.tool], {
      limiter,
      timeoutMs: 100,
      onEvent: (event) => events.push(event),
    });
    await flush();
    expect(h.now()).toStrictEqual([0]);
    expect(events.find((e) => e.type === "call-wait")).toMatchObject({
      resource: "k",
      reason: "lock",
    });
    await h.release(0);
    expect(h.now()).toStrictEqual([1]);
    await h.release(1);
    expect(codes(await second)).toStrictEqual(["ok"]);
  });

  it("an abort while waiting answers not_executed, and the call takes nothing later", async () => {
    const h = harness();
    const limiter = createResourceLimiter({ api: { concurrency: 1 } });
    const holder = executeBatch(batchOfInputs([{ n: 0, uses: ["api"] }]), [h.tool], { limiter });
    const controller = new AbortController();
    const waiting = executeBatch(batchOfInputs([{ n: 1, uses: ["api"] }], "d"), [h.tool], {
      limiter,
      signal: controller.signal,
    });
    await flush();
    controller.abort(new Error("user left"));
    expect(codes(await waiting)).toStrictEqual(["not_executed"]);
    await h.release(0);
    await holder;
    // The budget it waited for went to the next one asking.
    const next = executeBatch(batchOfInputs([{ n: 2, uses: ["api"] }], "e"), [h.tool], { limiter });
    await flush();
    expect(h.started).toStrictEqual([0, 2]);
    await h.release(2);
    await next;
  });

  it("a limiter that throws, rejects or grants no release fails the call, unrun", async () => {
    const h = harness();
    const limiters: ResourceLimiter[] = [
      {
        acquire: () => {
          throw new Error("db down");
        },
      },
      { acquire: () => Promise.reject(new Error("db gone")) },
      { acquire: () => "yes" as never },
      { acquire: () => Promise.resolve(42 as never) },
    ];
    const messages: string[] = [];
    for (const limiter of limiters) {
      const [result] = await executeBatch(batchOfInputs([{ n: 0, uses: ["api"] }]), [h.tool], {
        limiter,
      });
      messages.push(result?.ok ? "ok" : `${result?.error.code}: ${result?.error.message}`);
    }
    expect(messages).toStrictEqual([
      'execution_failed: Tool "work" failed before it ran: the resource limiter threw: db down',
      'execution_failed: Tool "work" failed before it ran: the resource limiter threw: db gone',
      'execution_failed: Tool "work" failed before it ran: the resource limiter returned "yes", not a release.',
      'execution_failed: Tool "work" failed before it ran: the resource limiter returned 42, not a release.',
    ]);
    expect(h.started).toStrictEqual([]);
  });

  it("a release that throws or rejects costs nothing; calls with no keys or resources never ask", async () => {
    const asked: string[][] = [];
    const limiter: ResourceLimiter = {
      acquire: ({ locks, resources }) => {
        asked.push([...locks, ...resources]);
        return asked.length === 1
          ? () => {
              throw new Error("release failed");
            }
          : () => Promise.reject(new Error("release rejected"));
      },
    };
    const tool = defineTool({
      name: "work",
      description: "",
      input: jsonSchema<Input>({ type: "object" }),
      lock: ({ keys }) => keys,
      resources: ({ uses }) => uses,
      execute: ({ n }) => n,
    });
    const results = await executeBatch(
      batchOfInputs([
        { n: 0, uses: ["b", "a", "b"] },
        { n: 1, keys: ["z", "y"], uses: ["x"] },
        { n: 2 },
      ]),
      [tool],
      { limiter },
    );
    expect(codes(results)).toStrictEqual(["ok", "ok", "ok"]);
    // Each list sorted and without repeats, as a distributed limiter takes them.
    expect(asked).toStrictEqual([
      ["a", "b"],
      ["y", "z", "x"],
    ]);
  });

  it("events: batch-start first, the run's batchId on every event, the tool's description on call-start", async () => {
    const seen: string[] = [];
    const tool = defineTool({
      name: "work",
      description: "Does the work.",
      input: jsonSchema<Input>({ type: "object" }),
      execute: (_input, { batchId }) => {
        seen.push(batchId);
        return 1;
      },
    });
    const events: ExecutionEvent[] = [];
    const onEvent = (event: ExecutionEvent) => events.push(event);
    const batch = batchOfInputs([{ n: 0 }, { n: 1 }]);
    await executeBatch(batch, [tool], { onEvent });
    expect(events.map((event) => event.type)).toStrictEqual([
      "batch-start",
      "call-start",
      "call-start",
      "call-end",
      "call-end",
      "batch-end",
    ]);
    expect(events[0]).toMatchObject({ type: "batch-start", batch });
    expect(new Set(events.map((event) => event.batchId))).toStrictEqual(new Set([seen[0]]));
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.find((event) => event.type === "call-start")).toMatchObject({
      description: "Does the work.",
    });
    // Calls arriving one by one: the run begins before the batch is known.
    const streamed: ExecutionEvent[] = [];
    const execution = startBatchExecution([tool], { onEvent: (event) => streamed.push(event) });
    execution.add(batch.calls[0] as never);
    await execution.finish(batch);
    expect(streamed[0]?.type).toBe("batch-start");
    expect(streamed[0]).not.toHaveProperty("batch");
    expect(streamed[0]?.batchId).toBe(streamed.at(-1)?.batchId);
    expect(streamed[0]?.batchId).not.toBe(seen[0]);
  });

  it("refuses a limiter that is none, a resources that is no function; a throwing one fails its call", async () => {
    const h = harness();
    const batch = batchOfInputs([{ n: 0 }]);
    await expect(executeBatch(batch, [h.tool], { limiter: {} as never })).rejects.toSatisfy(
      (error) => InvalidOptionError.isInstance(error) && error.option === "limiter",
    );
    expect(() =>
      defineTool({
        name: "bad",
        description: "",
        input: jsonSchema({ type: "object" }),
        resources: "api" as never,
        execute: () => 1,
      }),
    ).toThrow(InvalidToolDefinitionError);
    const throwing = defineTool({
      name: "work",
      description: "",
      input: jsonSchema({ type: "object" }),
      resources: () => {
        throw new Error("no such endpoint");
      },
      execute: () => 1,
    });
    const [result] = await executeBatch(batch, [throwing]);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "execution_failed",
        message: 'Tool "work" failed before it ran: its resources function threw: no such endpoint',
      },
    });
  });
});
