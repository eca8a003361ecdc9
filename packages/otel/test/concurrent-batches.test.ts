import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import {
  createResourceLimiter,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  type ToolCallBatch,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolTracer } from "../src/index.js";
import { batchOf } from "./support/mixed-batch.js";
import { isChildOf, millis, useTracing } from "./support/tracing.js";

// One tracer, two conversations at once sharing a limiter (issue 19): each batch's events carry
// its batchId, so each gets its own span under its own application span. The order is forced by
// the events themselves (B starts once A's call runs; A's tool ends once B's call waits), never
// by a clock.

const tracing = useTracing();

describe("one tracer over batches running at once", () => {
  it("gives each batch its span, id and calls, and shows the wait on the shared resource with its reason", async () => {
    tracing.exporter.reset();
    let letGo: () => void = () => {};
    const latch = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const limiter = createResourceLimiter({ github: { concurrency: 1 } });
    const tools = [
      defineTool({
        name: "get_issue",
        description: "Reads a GitHub issue",
        input: z.object({ id: z.number() }),
        resources: () => "github",
        execute: async ({ id }) => {
          await latch;
          return { id };
        },
      }),
    ];
    // No `tools` option: descriptions come from call-start.
    const tracer = createToolTracer({ tracer: tracing.tracer });
    const events: ExecutionEvent[] = [];
    let aRuns: () => void = () => {};
    const aRunning = new Promise<void>((resolve) => {
      aRuns = resolve;
    });
    const run = (name: string, batch: ToolCallBatch, on: (event: ExecutionEvent) => void) =>
      tracing.tracer.startActiveSpan(name, async (chat) => {
        const results = await executeBatch(batch, tools, {
          limiter,
          onEvent: (event) => {
            events.push(event);
            tracer(event);
            on(event);
          },
        });
        chat.end();
        return results;
      });
    const first = run("chat A", batchOf([{ name: "get_issue", input: { id: 1 } }]), (event) => {
      if (event.type === "call-start") aRuns();
    });
    await aRunning;
    const second = run("chat B", batchOf([{ name: "get_issue", input: { id: 2 } }]), (event) => {
      if (event.type === "call-wait") letGo();
    });
    const results = await Promise.all([first, second]);
    expect(results.map((each) => each.map((result) => result.ok))).toStrictEqual([[true], [true]]);

    const spans = tracing.spans();
    const named = (name: string) => spans.find((span) => span.name === name) as ReadableSpan;
    const idOf = (input: number) =>
      events.find(
        (event) => event.type === "call-start" && (event.input as { id: number }).id === input,
      )?.batchId;
    const [idA, idB] = [idOf(1), idOf(2)];
    expect(idA).toBeTypeOf("string");
    expect(idB).toBeTypeOf("string");
    expect(idA).not.toBe(idB);
    const batches = spans.filter((span) => span.name === "toolbatch.batch");
    expect(batches.map((span) => span.attributes["toolbatch.batch.id"]).sort()).toStrictEqual(
      [idA, idB].sort(),
    );
    const batchOfId = (id: unknown) =>
      batches.find((span) => span.attributes["toolbatch.batch.id"] === id) as ReadableSpan;
    const [batchA, batchB] = [batchOfId(idA), batchOfId(idB)];
    expect(isChildOf(batchA, named("chat A"))).toBe(true);
    expect(isChildOf(batchB, named("chat B"))).toBe(true);
    // B's batch began while A's ran: the two spans overlap.
    expect(millis(batchB.startTime)).toBeLessThanOrEqual(millis(batchA.endTime));

    const calls = spans.filter((span) => span.name === "execute_tool get_issue");
    expect(calls).toHaveLength(2);
    const callA = calls.find((span) => isChildOf(span, batchA)) as ReadableSpan;
    const callB = calls.find((span) => isChildOf(span, batchB)) as ReadableSpan;
    for (const call of [callA, callB]) {
      expect(call.attributes["gen_ai.tool.description"]).toBe("Reads a GitHub issue");
    }
    expect(callA.events).toStrictEqual([]);
    // B waited for A's place on the resource, then started: its span began with the wait.
    expect(callB.events.map((event) => [event.name, event.attributes ?? {}])).toStrictEqual([
      [
        "toolbatch.wait",
        { "toolbatch.wait.resource": "github", "toolbatch.wait.reason": "concurrency" },
      ],
      ["toolbatch.call.started", {}],
    ]);
  });

  it("opens no span for a batch without calls, though it announced itself", async () => {
    tracing.exporter.reset();
    const tracer = createToolTracer({ tracer: tracing.tracer });
    const seen: string[] = [];
    await executeBatch(batchOf([]), [], {
      onEvent: (event) => {
        seen.push(event.type);
        tracer(event);
      },
    });
    expect(seen).toStrictEqual(["batch-start", "batch-end"]);
    expect(tracing.spans()).toStrictEqual([]);
  });
});
