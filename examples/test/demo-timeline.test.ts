import {
  createResourceLimiter,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  type ToolCallBatch,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Timeline } from "../demo/timeline.js";
import { pipedOutput } from "./piped-output.js";

/**
 * A timeline drawn to a piped stream, fed by a real batch run. Its axis starts at 0 and the n-th
 * event it gets is drawn at n × 10 ms, whatever the machine's speed: the picture shows the order
 * of events, and never depends on timing. Drawn as if 100 ms passed.
 */
function drawn() {
  const { out, text } = pipedOutput();
  const timeline = new Timeline("test", 100, out, 0);
  let sequence = 0;
  const onEvent = (event: ExecutionEvent) => {
    timeline.onEvent({ ...event, time: 10 * sequence++, step: 0 });
  };
  return { onEvent, finish: () => timeline.finish(100), text };
}

const batchOf = (...names: string[]): ToolCallBatch => ({
  provider: "test",
  complete: true,
  turn: null,
  calls: names.map((name, index) => ({ id: `call_${index}`, name, input: { city: name }, index })),
});

describe("the demo's timeline", () => {
  it("draws a call waiting for a shared resource's budget before it runs", async () => {
    const { onEvent, finish, text } = drawn();
    let letFirstEnd: () => void = () => {};
    const firstMayEnd = new Promise<void>((resolve) => {
      letFirstEnd = resolve;
    });
    let firstStarted: () => void = () => {};
    const firstRuns = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    // One call at a time on the "weather-api" resource: the second waits for the first.
    const lookup = defineTool({
      name: "lookup",
      description: "Holds the resource until the test lets the first call end",
      input: z.object({ city: z.string() }),
      resources: () => "weather-api",
      execute: async ({ city }) => {
        if (city === "first") {
          firstStarted();
          await firstMayEnd;
        }
        return { city };
      },
    });
    const limiter = createResourceLimiter({ "weather-api": { concurrency: 1 } });
    const events: ExecutionEvent[] = [];
    const run = executeBatch(
      {
        provider: "test",
        complete: true,
        turn: null,
        calls: ["first", "second"].map((city, index) => ({
          id: `call_${index}`,
          name: "lookup",
          input: { city },
          index,
        })),
      },
      [lookup],
      {
        limiter,
        onEvent: (event) => {
          events.push(event);
          onEvent(event);
        },
      },
    );
    await firstRuns;
    letFirstEnd();
    const results = await run;
    finish();
    expect(results.map((result) => result.ok)).toStrictEqual([true, true]);
    const waits = events.filter((event) => event.type === "call-wait");
    expect(waits.map((event) => [event.call.id, event.resource])).toStrictEqual([
      ["call_1", "weather-api"],
    ]);
    // The second row waits (-) before it runs (█); the first never waits.
    expect(text()).toMatch(/lookup\(second\) +-+█+/);
    expect(text()).not.toMatch(/lookup\(first\) +-/);
    expect(text()).toContain("- waited for a shared resource");
  });

  it("draws a call answered timeout whose tool ended later as held until its call-release", async () => {
    const { onEvent, finish, text } = drawn();
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
    const results = await executeBatch(batchOf("stubborn"), [stubborn], {
      onEvent: (event) => {
        events.push(event);
        onEvent(event);
        if (event.type === "call-release") released();
      },
    });
    expect(results[0]?.ok === false && results[0].error.code).toBe("timeout");
    finishTool();
    await release;
    finish();

    expect(events.map((event) => event.type)).toStrictEqual([
      "batch-start",
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
    const { onEvent, finish, text } = drawn();
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
    const running = executeBatch(batchOf("pay"), [pay], {
      onEvent: (event) => {
        onEvent(event);
        if (event.type === "approval-requested") decide({ approved: false, reason: "no" });
      },
      approve: () => decision,
    });
    const [result] = await running;
    finish();
    expect(result?.ok === false && result.error.code).toBe("denied");
    expect(text()).toMatch(/1· pay\(pay\) +·*✗\n/);
    expect(text()).not.toContain("█");
  });
});
