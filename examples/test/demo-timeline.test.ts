import { defineTool, type ExecutionEvent, executeBatch, type ToolCallBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Timeline } from "../demo/timeline.js";
import { pipedOutput } from "./piped-output.js";

/** A timeline drawn to a piped stream, fed by a real batch run. */
function drawn() {
  const { out, text } = pipedOutput();
  return { timeline: new Timeline("test", 100, out), text };
}

const batchOf = (...names: string[]): ToolCallBatch => ({
  provider: "test",
  complete: true,
  turn: null,
  calls: names.map((name, index) => ({ id: `call_${index}`, name, input: { city: name }, index })),
});

describe("the demo's timeline", () => {
  it("draws a call answered timeout whose tool ended later as held until its call-release", async () => {
    const { timeline, text } = drawn();
    let finishTool: () => void = () => {};
    const toolEnded = new Promise<void>((resolve) => {
      finishTool = resolve;
    });
    let released: () => void = () => {};
    const release = new Promise<void>((resolve) => {
      released = resolve;
    });
    // Ignores its abort signal: answered `timeout`, it keeps running until the test lets it end.
    const stubborn = defineTool({
      name: "stubborn",
      description: "Ends when the test says so",
      input: z.object({ city: z.string() }),
      timeoutMs: 20,
      execute: async () => {
        await toolEnded;
        return { done: true };
      },
    });
    const events: ExecutionEvent[] = [];
    const started = performance.now();
    const results = await executeBatch(batchOf("stubborn"), [stubborn], {
      onEvent: (event) => {
        events.push(event);
        timeline.onEvent({ ...event, step: 0 });
        if (event.type === "call-release") released();
      },
    });
    expect(results[0]?.ok === false && results[0].error.code).toBe("timeout");
    finishTool();
    await release;
    timeline.finish(performance.now() - started);

    expect(events.map((event) => event.type)).toStrictEqual([
      "call-start",
      "call-end",
      "batch-end",
      "call-release",
    ]);
    // Ran until answered, then held its place until its tool ended.
    expect(text()).toMatch(/1· stubborn\(stubborn\) +█+░+\n/);
    expect(text()).toContain("░ answered timeout/aborted, its tool still running");
  });

  it("draws an approval wait and a denial in the process, and no run for the denied call", async () => {
    const { timeline, text } = drawn();
    const pay = defineTool({
      name: "pay",
      description: "Pays",
      input: z.object({ city: z.string() }),
      needsApproval: true,
      execute: () => ({ paid: true }),
    });
    let decide: (answer: { approved: boolean; reason?: string }) => void = () => {};
    const decision = new Promise<{ approved: boolean; reason?: string }>((resolve) => {
      decide = resolve;
    });
    const started = performance.now();
    const running = executeBatch(batchOf("pay"), [pay], {
      onEvent: (event) => {
        timeline.onEvent({ ...event, step: 0 });
        if (event.type === "approval-requested") decide({ approved: false, reason: "no" });
      },
      approve: () => decision,
    });
    const [result] = await running;
    timeline.finish(performance.now() - started);
    expect(result?.ok === false && result.error.code).toBe("denied");
    expect(text()).toMatch(/1· pay\(pay\) +·*✗\n/);
    expect(text()).not.toContain("█");
  });
});
