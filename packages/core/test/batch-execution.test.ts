import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BatchOrderError,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  startBatchExecution,
} from "../src/index.js";
import { batchOf, deferred, flush } from "./support.js";

function gatedTool(options: { lock?: boolean; parallel?: boolean } = {}) {
  const gates = new Map<number, () => void>();
  const started: number[] = [];
  const tool = defineTool({
    name: "work",
    description: "",
    input: z.object({ n: z.number(), key: z.string().optional() }),
    ...(options.lock ? { lock: ({ key }: { key?: string }) => key } : {}),
    ...(options.parallel === false ? { parallel: false } : {}),
    execute: async ({ n }) => {
      started.push(n);
      const gate = deferred();
      gates.set(n, gate.resolve);
      await gate.promise;
      return n;
    },
  });
  const release = async (n: number) => {
    gates.get(n)?.();
    await flush();
  };
  return { tool, started, release };
}

describe("startBatchExecution (eager execution)", () => {
  it("starts each call when it is added, before the batch is finished", async () => {
    const { tool, started, release } = gatedTool();
    const events: string[] = [];
    const execution = startBatchExecution([tool], {
      onEvent: (e: ExecutionEvent) => events.push(e.type),
    });
    const batch = batchOf([0, 1].map((n) => ({ name: "work", input: { n } })));
    execution.add(batch.calls[0] as never);
    await flush();
    expect(started).toStrictEqual([0]);
    execution.add(batch.calls[1] as never);
    await flush();
    expect(started).toStrictEqual([0, 1]);
    const done = execution.finish(batch);
    await release(1);
    await release(0);
    expect((await done).map((r) => (r.ok ? r.output : null))).toStrictEqual([0, 1]);
    expect(events).toStrictEqual([
      "batch-start",
      "call-start",
      "call-start",
      "call-end",
      "call-end",
      "batch-end",
    ]);
  });

  it("keeps lock order across calls added at different times, and async validators in order", async () => {
    const { tool, started, release } = gatedTool({ lock: true });
    const slowCheck = defineTool({
      name: "slow_check",
      description: "",
      input: jsonSchema<{ key: string }>(
        { type: "object" },
        { validate: async (value) => ({ value: value as { key: string } }) },
      ),
      lock: ({ key }) => key,
      execute: () => "checked",
    });
    const execution = startBatchExecution([tool, slowCheck]);
    const batch = batchOf([
      { name: "slow_check", input: { key: "a" } },
      { name: "work", input: { n: 1, key: "a" } },
      { name: "work", input: { n: 2, key: "b" } },
    ]);
    for (const call of batch.calls) execution.add(call);
    await flush();
    // Call 1 shares key "a" with call 0, whose validation was asynchronous: it waited for call 0,
    // while call 2 (key "b") did not.
    expect(started).toStrictEqual([2, 1]);
    const done = execution.finish(batch);
    await release(1);
    await release(2);
    expect((await done).map((r) => (r.ok ? r.output : r.error.code))).toStrictEqual([
      "checked",
      1,
      2,
    ]);
  });

  it("never runs a call of a cut-off turn that waited behind an asynchronous validation", async () => {
    const { tool, started } = gatedTool();
    const validation = deferred<{ value: { key: string } }>();
    const slowCheck = defineTool({
      name: "slow_check",
      description: "",
      input: jsonSchema<{ key: string }>(
        { type: "object" },
        { validate: () => validation.promise },
      ),
      execute: () => "checked",
    });
    const execution = startBatchExecution([tool, slowCheck]);
    const batch = batchOf(
      [
        { name: "slow_check", input: { key: "a" } },
        { name: "work", input: { n: 1 } },
      ],
      { complete: false },
    );
    for (const call of batch.calls) execution.add(call);
    const results = await execution.finish(batch);
    expect(results.map((r) => (r.ok ? r.output : r.error.code))).toStrictEqual([
      "not_executed",
      "not_executed",
    ]);
    // The validation ends after the batch did: what waited behind it must stay not run.
    validation.resolve({ value: { key: "a" } });
    await flush();
    expect(started).toStrictEqual([]);
  });

  it("finishes a cut-off turn: running calls complete, waiting and missing calls do not run", async () => {
    const { tool, started, release } = gatedTool({ parallel: false });
    const execution = startBatchExecution([tool]);
    const batch = batchOf(
      [0, 1, 2].map((n) => ({ name: "work", input: { n } })),
      { complete: false },
    );
    execution.add(batch.calls[0] as never);
    execution.add(batch.calls[1] as never);
    await flush();
    expect(started).toStrictEqual([0]);
    const done = execution.finish(batch);
    await release(0);
    const results = await done;
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "ok",
      "not_executed",
      "not_executed",
    ]);
    expect(started).toStrictEqual([0]);
  });

  it("refuses a batch whose first calls are not the calls added", async () => {
    const { tool } = gatedTool();
    const execution = startBatchExecution([tool]);
    execution.add(batchOf([{ name: "work", input: { n: 0 }, id: "x" }]).calls[0] as never);
    const other = batchOf([{ name: "work", input: { n: 0 }, id: "y" }]);
    await expect(execution.finish(other)).rejects.toSatisfy(BatchOrderError.isInstance);
    await expect(execution.finish(other)).rejects.toThrow(/already called/);
    expect(() => execution.add(other.calls[0] as never)).toThrow(BatchOrderError);
  });

  it("gives calls added after an abort not_executed", async () => {
    const controller = new AbortController();
    const { tool } = gatedTool();
    const execution = startBatchExecution([tool], { signal: controller.signal });
    const batch = batchOf([0, 1].map((n) => ({ name: "work", input: { n } })));
    execution.add(batch.calls[0] as never);
    await flush();
    controller.abort();
    execution.add(batch.calls[1] as never);
    const results = await execution.finish(batch);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "aborted",
      "not_executed",
    ]);
  });
});
