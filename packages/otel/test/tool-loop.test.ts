import { SpanKind } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { scriptedToolModel, startVendorServer } from "@toolbatch/contract";
import { describe, expect, it, onTestFinished } from "vitest";
import { LOOP_VENDORS, type LoopVendor } from "../../../test/support/loop-vendors.js";
import { paymentTools, script } from "../../../test/support/payment-turn.js";
import { createToolTracer } from "../src/index.js";
import { isChildOf, useTracing } from "./support/tracing.js";

// runToolLoop through the OpenAI SDK against the contract kit's loopback server (the loop tests'
// vendor and scripted turn, from the repository's test/support), one call per step
// (parallel: false): four steps with a batch each, then the answer.

const tracing = useTracing();
const vendor = LOOP_VENDORS.find((each) => each.name === "openai-chat") as LoopVendor;

describe("runToolLoop with the tracer as onEvent (openai-chat)", () => {
  it("gives each step's batch a span with toolbatch.loop.step, its call span the same step", async () => {
    const started = await startVendorServer({
      vendor: vendor.server,
      replies: scriptedToolModel(script),
    });
    onTestFinished(() => started.close());
    const { tools } = paymentTools();
    const tracer = createToolTracer({ tracer: tracing.tracer, tools });
    const batchIds = new Map<number, string | undefined>();
    const result = await tracing.tracer.startActiveSpan("invoke_agent", async (agent) => {
      const ran = await vendor.run({
        url: started.url,
        tools,
        stream: true,
        parallel: false,
        approve: () => ({ approved: true }),
        onEvent: (event) => {
          batchIds.set(event.step, event.batchId);
          tracer(event);
        },
      });
      agent.end();
      return ran;
    });
    expect(result.stopReason).toBe("done");
    const spans = tracing.spans();
    const agent = spans.find((span) => span.name === "invoke_agent") as ReadableSpan;
    const batches = spans.filter((span) => span.name === "toolbatch.batch");
    // Step 4 is the answer: its batch has no calls (its events come, its span does not).
    expect(batchIds.size).toBe(5);
    expect(new Set(batchIds.values()).size).toBe(5);
    expect(batches.map((span) => span.attributes)).toStrictEqual(
      [0, 1, 2, 3].map((step) => ({
        "toolbatch.loop.step": step,
        "toolbatch.batch.id": batchIds.get(step),
        "toolbatch.batch.size": 1,
        "toolbatch.batch.provider": "openai-chat",
        "toolbatch.batch.complete": true,
        "toolbatch.batch.failed": 0,
      })),
    );
    for (const batch of batches) {
      expect(batch.kind).toBe(SpanKind.INTERNAL);
      expect(isChildOf(batch, agent)).toBe(true);
    }
    const calls = spans.filter((span) => span.name.startsWith("execute_tool "));
    expect(calls.map((span) => [span.name, span.attributes["toolbatch.loop.step"]])).toStrictEqual([
      ["execute_tool lookup", 0],
      ["execute_tool send_payment", 1],
      ["execute_tool lookup", 2],
      ["execute_tool lookup", 3],
    ]);
    calls.forEach((call, step) => {
      expect(isChildOf(call, batches[step] as ReadableSpan)).toBe(true);
      expect(call.attributes["gen_ai.tool.call.id"]).toMatch(/^call_/);
    });
    // The payment waited for approval: requested, then decided (approved), then it started.
    expect(calls[1]?.events.map((event) => event.name)).toStrictEqual([
      "toolbatch.approval.requested",
      "toolbatch.approval.decided",
      "toolbatch.call.started",
    ]);
  });
});
