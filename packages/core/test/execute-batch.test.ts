import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  defineTool,
  type ExecutionEvent,
  executeBatch,
  InvalidOptionError,
  jsonSchema,
  type ToolFailure,
  type ToolResult,
} from "../src/index.js";
import { batchOf, deferred, flush } from "./support.js";

const echo = defineTool({
  name: "echo",
  description: "Returns its text",
  input: z.object({ text: z.string() }),
  execute: ({ text }) => ({ text }),
});

const codes = (results: ToolResult[]) => results.map((r) => (r.ok ? "ok" : r.error.code));
const failure = (result: ToolResult | undefined) => {
  if (!result || result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return (result as ToolFailure).error;
};

describe("executeBatch results", () => {
  it("returns one result per call in call order, with outputs", async () => {
    const results = await executeBatch(
      batchOf([
        { name: "echo", input: { text: "a" } },
        { name: "echo", input: { text: "b" } },
      ]),
      [echo],
    );
    expect(results).toStrictEqual([
      { callId: "call_0", name: "echo", ok: true, output: { text: "a" } },
      { callId: "call_1", name: "echo", ok: true, output: { text: "b" } },
    ]);
  });

  it("keeps call order when calls finish in reverse", async () => {
    const gates = [deferred(), deferred(), deferred()];
    const tool = defineTool({
      name: "wait",
      description: "",
      input: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        await gates[n]?.promise;
        return n;
      },
    });
    const pending = executeBatch(batchOf([0, 1, 2].map((n) => ({ name: "wait", input: { n } }))), [
      tool,
    ]);
    gates[2]?.resolve();
    await flush();
    gates[1]?.resolve();
    await flush();
    gates[0]?.resolve();
    const results = await pending;
    expect(results.map((r) => (r.ok ? r.output : null))).toStrictEqual([0, 1, 2]);
  });

  it("names the available tools for an unknown name, including prototype names", async () => {
    const results = await executeBatch(
      batchOf(["nope", "__proto__", "constructor", "toString"].map((name) => ({ name }))),
      [echo],
    );
    for (const result of results) {
      expect(failure(result).code).toBe("unknown_tool");
      expect(failure(result).message).toContain("Available tools: echo.");
    }
    expect(failure(results[1]).message).toContain('"__proto__"');
  });

  it("reports schema issues with their paths, for the model to fix", async () => {
    const results = await executeBatch(batchOf([{ name: "echo", input: { text: 5 } }]), [echo]);
    const error = failure(results[0]);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(
      /^The arguments for tool "echo" do not match its input schema:\n- text: /,
    );
    expect(error.message).toContain("Fix these and call the tool again.");
  });

  it("turns unparseable arguments into invalid_input without running the tool", async () => {
    const execute = vi.fn();
    const tool = defineTool({ name: "t", description: "", input: z.object({}), execute });
    const results = await executeBatch(batchOf([{ name: "t", inputError: "not JSON" }]), [tool]);
    expect(failure(results[0])).toStrictEqual({ code: "invalid_input", message: "not JSON" });
    expect(execute).not.toHaveBeenCalled();
  });

  it("passes the validated (transformed) value to execute", async () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({ n: z.string().transform(Number) }),
      execute: ({ n }) => n + 1,
    });
    const [result] = await executeBatch(batchOf([{ name: "t", input: { n: "41" } }]), [tool]);
    expect(result).toMatchObject({ ok: true, output: 42 });
  });

  it("supports async validators and JSON Schema inputs with and without validate", async () => {
    const asyncTool = defineTool({
      name: "a",
      description: "",
      input: z.object({ x: z.string() }).refine(async () => true),
      execute: ({ x }) => x,
    });
    const checked = defineTool({
      name: "b",
      description: "",
      input: jsonSchema<{ x: number }>(
        { type: "object" },
        {
          validate: (value) =>
            typeof (value as { x?: unknown }).x === "number"
              ? { value: value as { x: number } }
              : { issues: [{ message: "x must be a number", path: ["x"] }] },
        },
      ),
      execute: ({ x }) => x * 2,
    });
    const unchecked = defineTool({
      name: "c",
      description: "",
      input: { jsonSchema: { type: "object" } },
      execute: (input) => input,
    });
    const results = await executeBatch(
      batchOf([
        { name: "a", input: { x: "y" } },
        { name: "b", input: { x: 2 } },
        { name: "b", input: { x: "2" } },
        { name: "c", input: { anything: true } },
      ]),
      [asyncTool, checked, unchecked],
    );
    expect(codes(results)).toStrictEqual(["ok", "ok", "invalid_input", "ok"]);
    expect(failure(results[2]).message).toContain("- x: x must be a number");
    expect(results[3]).toMatchObject({ output: { anything: true } });
  });

  it.each([
    ["an Error", new Error("boom"), /failed: boom$/],
    ["a string", "bad thing", /failed: bad thing$/],
    ["undefined", undefined, /undefined was thrown/],
    ["null", null, /null was thrown/],
    ["an object", { code: 7 }, /failed: \{"code":7\}$/],
  ])(
    "turns a throw of %s into execution_failed, sync or async",
    async (_label, thrown, message) => {
      const sync = defineTool({
        name: "s",
        description: "",
        input: z.object({}),
        execute: () => {
          throw thrown;
        },
      });
      const async = defineTool({
        name: "a",
        description: "",
        input: z.object({}),
        execute: async () => {
          throw thrown;
        },
      });
      const results = await executeBatch(batchOf([{ name: "s" }, { name: "a" }, { name: "s" }]), [
        sync,
        async,
      ]);
      for (const result of results) {
        expect(failure(result).code).toBe("execution_failed");
        expect(failure(result).message).toMatch(message);
        expect(failure(result).cause).toBe(thrown);
      }
    },
  );

  it("turns outputs that cannot be serialized into invalid_output", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const outputs: unknown[] = [
      10n,
      cyclic,
      {
        toJSON: () => {
          throw new Error("nope");
        },
      },
      "fine",
      undefined,
    ];
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({ i: z.number() }),
      execute: ({ i }) => outputs[i],
    });
    const results = await executeBatch(
      batchOf(outputs.map((_, i) => ({ name: "t", input: { i } }))),
      [tool],
    );
    expect(codes(results)).toStrictEqual([
      "invalid_output",
      "invalid_output",
      "invalid_output",
      "ok",
      "ok",
    ]);
    expect(failure(results[0]).message).toMatch(/cannot be serialized as JSON/);
  });

  it("turns a throwing lock function into execution_failed for that call only", async () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({ k: z.string() }),
      lock: ({ k }) => {
        if (k === "bad") throw new Error("no key");
        return k;
      },
      execute: ({ k }) => k,
    });
    const results = await executeBatch(
      batchOf([
        { name: "t", input: { k: "bad" } },
        { name: "t", input: { k: "ok" } },
      ]),
      [tool],
    );
    expect(codes(results)).toStrictEqual(["execution_failed", "ok"]);
    expect(failure(results[0]).message).toContain("lock function threw: no key");
  });

  it("runs nothing for an incomplete batch", async () => {
    const execute = vi.fn();
    const tool = defineTool({ name: "t", description: "", input: z.object({}), execute });
    const results = await executeBatch(
      batchOf([{ name: "t" }, { name: "missing" }], { complete: false }),
      [tool],
    );
    expect(codes(results)).toStrictEqual(["not_executed", "not_executed"]);
    expect(failure(results[0]).message).toBe(
      'Tool "t" was not run: the turn was cut off before every call was complete.',
    );
    expect(execute).not.toHaveBeenCalled();
  });

  it("resolves an empty batch with no results", async () => {
    expect(await executeBatch(batchOf([]), [echo])).toStrictEqual([]);
  });
});

describe("executeBatch timeouts and cancellation", () => {
  it("times out a hanging tool, aborts its signal, and lets the tool's own limit win", async () => {
    vi.useFakeTimers();
    try {
      const signals: AbortSignal[] = [];
      const hang = defineTool({
        name: "hang",
        description: "",
        input: z.object({}),
        execute: (_input, { signal }) => {
          signals.push(signal);
          return new Promise(() => {});
        },
      });
      const quick = defineTool({
        ...hang,
        name: "quick",
        timeoutMs: 10,
        input: z.object({}),
        execute: hang.execute,
      });
      const pending = executeBatch(batchOf([{ name: "hang" }, { name: "quick" }]), [hang, quick], {
        timeoutMs: 1000,
      });
      await vi.advanceTimersByTimeAsync(10);
      expect(signals[1]?.aborted).toBe(true);
      expect(signals[0]?.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(990);
      const results = await pending;
      expect(codes(results)).toStrictEqual(["timeout", "timeout"]);
      // Issue 15 item 4: a tool that ignores its signal may still act; the model must not be
      // told it was stopped, nor invited to retry a write blindly.
      expect(failure(results[1]).message).toBe(
        'Tool "quick" did not finish within 10 ms. It may still be running, and what it does may already have taken effect or may still take effect: check before calling it again.',
      );
      expect(signals[0]?.reason).toMatchObject({ name: "TimeoutError" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("marks running calls aborted and the rest not_executed when the signal aborts", async () => {
    const controller = new AbortController();
    const started = deferred();
    const seen: AbortSignal[] = [];
    const slow = defineTool({
      name: "slow",
      description: "",
      input: z.object({}),
      execute: (_input, { signal }) => {
        seen.push(signal);
        started.resolve();
        return new Promise(() => {});
      },
    });
    const pending = executeBatch(
      batchOf([{ name: "slow" }, { name: "slow" }, { name: "missing" }]),
      [slow],
      { concurrency: 1, signal: controller.signal },
    );
    await started.promise;
    controller.abort(new Error("user left"));
    const results = await pending;
    expect(codes(results)).toStrictEqual(["aborted", "not_executed", "unknown_tool"]);
    expect(failure(results[0]).message).toBe(
      'Tool "slow" was cancelled before it finished. It may still be running, and what it does may already have taken effect or may still take effect: check before calling it again.',
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
    expect(failure(results[0]).cause).toStrictEqual(new Error("user left"));
  });

  it("runs nothing when the signal is already aborted", async () => {
    const execute = vi.fn();
    const tool = defineTool({ name: "t", description: "", input: z.object({}), execute });
    const results = await executeBatch(batchOf([{ name: "t" }]), [tool], {
      signal: AbortSignal.abort(),
    });
    expect(codes(results)).toStrictEqual(["not_executed"]);
    expect(execute).not.toHaveBeenCalled();
  });

  it("ignores a result that arrives after the call timed out", async () => {
    vi.useFakeTimers();
    try {
      const late = deferred<string>();
      const tool = defineTool({
        name: "t",
        description: "",
        input: z.object({}),
        timeoutMs: 5,
        execute: () => late.promise,
      });
      const pending = executeBatch(batchOf([{ name: "t" }]), [tool]);
      await vi.advanceTimersByTimeAsync(5);
      late.resolve("too late");
      expect(codes(await pending)).toStrictEqual(["timeout"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("executeBatch events", () => {
  it("emits batch-start, call-start for calls that run, call-end for every call, then batch-end", async () => {
    const events: ExecutionEvent[] = [];
    const results = await executeBatch(
      batchOf([{ name: "echo", input: { text: "x" } }, { name: "missing" }]),
      [echo],
      { onEvent: (event) => events.push(event) },
    );
    expect(events.map((e) => [e.type, "call" in e ? e.call.index : -1])).toStrictEqual([
      ["batch-start", -1],
      ["call-end", 1],
      ["call-start", 0],
      ["call-end", 0],
      ["batch-end", -1],
    ]);
    const [batchStart, unknownEnd, start, end, batchEnd] = events;
    expect(unknownEnd).toMatchObject({ startTime: undefined, durationMs: 0, result: results[1] });
    expect(start).toMatchObject({ input: { text: "x" } });
    if (start?.type !== "call-start" || end?.type !== "call-end" || batchEnd?.type !== "batch-end")
      throw new Error("order");
    expect(end.startTime).toBe(start.time);
    expect(end.durationMs).toBe(end.time - start.time);
    expect(batchEnd.results).toBe(results);
    expect(batchEnd.durationMs).toBeGreaterThanOrEqual(0);
    expect(batchStart).toMatchObject({ time: batchEnd.startTime, batch: batchEnd.batch });
  });

  it("survives a listener that throws", async () => {
    const results = await executeBatch(batchOf([{ name: "echo", input: { text: "x" } }]), [echo], {
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    expect(codes(results)).toStrictEqual(["ok"]);
  });
});

describe("executeBatch options", () => {
  it.each([
    ["concurrency", 0],
    ["concurrency", 1.5],
    ["concurrency", -1],
    ["timeoutMs", 0],
    ["timeoutMs", Number.NaN],
  ])("rejects %s = %s with a typed error", async (option, value) => {
    const rejection = executeBatch(batchOf([{ name: "echo" }]), [echo], { [option]: value });
    await expect(rejection).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(rejection).rejects.toThrow(new RegExp(`Option "${option}" must be`));
  });

  it("says what it got, null and arrays included", async () => {
    const options = (value: unknown) => ({ timeoutMs: value }) as { timeoutMs: number };
    await expect(executeBatch(batchOf([]), [echo], options(null))).rejects.toThrow(/got null\.$/);
    await expect(executeBatch(batchOf([]), [echo], options([5]))).rejects.toThrow(
      /got an array\.$/,
    );
  });

  it("rejects two tools of one name", async () => {
    await expect(executeBatch(batchOf([]), [echo, echo])).rejects.toThrow(
      /Two tools are named "echo"/,
    );
  });
});

describe("executeBatch signals", () => {
  it("gives every call its own signal, so listeners tools add do not pile up on a shared one", async () => {
    const seen = new Set<AbortSignal>();
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({}),
      execute: (_input, { signal }) => {
        signal.addEventListener("abort", () => {});
        seen.add(signal);
      },
    });
    for (let round = 0; round < 3; round++) {
      await executeBatch(batchOf(Array.from({ length: 5 }, () => ({ name: "t" }))), [tool]);
    }
    expect(seen.size).toBe(15);
  });
});

describe("executeBatch context", () => {
  it("gives every call the batch's id beside its own: one per batch run, for idempotency keys", async () => {
    const seen: Array<{ batchId: string; callId: string }> = [];
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({}),
      execute: (_input, { batchId, call }) => {
        seen.push({ batchId, callId: call.id });
      },
    });
    const batch = batchOf([{ name: "t" }, { name: "t" }]);
    await executeBatch(batch, [tool]);
    await executeBatch(batch, [tool], { concurrency: 1 });
    const [first, second, third, fourth] = seen;
    expect(first?.batchId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second?.batchId).toBe(first?.batchId);
    expect(third?.batchId).toBe(fourth?.batchId);
    expect(third?.batchId).not.toBe(first?.batchId);
    expect(seen.map((entry) => entry.callId)).toStrictEqual([
      "call_0",
      "call_1",
      "call_0",
      "call_1",
    ]);
  });
});

describe("executeBatch lazy signals", () => {
  it("hands an aborted signal to a timed-out tool that reads it only afterwards", async () => {
    vi.useFakeTimers();
    try {
      let read: AbortSignal | undefined;
      const late = deferred();
      const tool = defineTool({
        name: "t",
        description: "",
        input: z.object({}),
        timeoutMs: 5,
        execute: async (_input, context) => {
          await late.promise;
          read = context.signal;
        },
      });
      const pending = executeBatch(batchOf([{ name: "t" }]), [tool]);
      await vi.advanceTimersByTimeAsync(5);
      expect(codes(await pending)).toStrictEqual(["timeout"]);
      late.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(read?.aborted).toBe(true);
      expect(read?.reason).toMatchObject({ name: "TimeoutError" });
    } finally {
      vi.useRealTimers();
    }
  });
});
