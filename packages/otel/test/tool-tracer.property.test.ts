import type { Span, Tracer } from "@opentelemetry/api";
import { defineTool, type ExecutionEvent, executeBatch } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolTracer } from "../src/index.js";
import { batchOf } from "./support/mixed-batch.js";
import { isChildOf, useTracing } from "./support/tracing.js";

const tracing = useTracing();
const NAMES = ["ok", "fail", "slow", "gated", "locked", "barrier", "nope"] as const;

/** The real tracer, counting each span's `end` calls. */
function countingTracer() {
  const ends = new Map<Span, number>();
  const tracer: Tracer = {
    startSpan(name, options, parent) {
      const span = tracing.tracer.startSpan(name, options, parent);
      const end = span.end.bind(span);
      ends.set(span, 0);
      span.end = (time) => {
        ends.set(span, (ends.get(span) ?? 0) + 1);
        end(time);
      };
      return span;
    },
    startActiveSpan: tracing.tracer.startActiveSpan.bind(tracing.tracer),
  };
  return { tracer, ends };
}

/** Tools ending every way; `slow` ignores its 1 ms time limit until the run lets it go. */
function toolsFor(latch: Promise<void>) {
  const input = z.object({ n: z.number() });
  return [
    defineTool({ name: "ok", description: "ok", input, execute: ({ n }) => n }),
    defineTool({
      name: "fail",
      description: "fails",
      input,
      execute: () => {
        throw new Error("no");
      },
    }),
    defineTool({ name: "slow", description: "slow", input, timeoutMs: 1, execute: () => latch }),
    defineTool({
      name: "gated",
      description: "gated",
      input,
      needsApproval: true,
      execute: () => "ran",
    }),
    defineTool({
      name: "locked",
      description: "locked",
      input,
      lock: () => "k",
      execute: () => "locked",
    }),
    defineTool({
      name: "barrier",
      description: "alone",
      input,
      parallel: false,
      execute: () => "alone",
    }),
  ];
}

const call = fc.record({
  name: fc.constantFrom(...NAMES),
  valid: fc.boolean(),
  approve: fc.boolean(),
});

describe("the tracer over random batches (property)", () => {
  it("ends every span exactly once, leaves none open after batch-end and the releases, never throws", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 0, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        async (calls, parallel, concurrency) => {
          tracing.exporter.reset();
          let letGo: () => void = () => {};
          const latch = new Promise<void>((resolve) => {
            letGo = resolve;
          });
          const { tracer, ends } = countingTracer();
          const handler = createToolTracer({ tracer, captureContent: true });
          const events: ExecutionEvent[] = [];
          let awaited = 0;
          let releasedAll: () => void = () => {};
          const released = new Promise<void>((resolve) => {
            releasedAll = resolve;
          });
          const batch = batchOf(
            calls.map(({ name, valid }) => ({ name, input: valid ? { n: 1 } : { n: "x" } })),
          );
          const results = await executeBatch(batch, toolsFor(latch), {
            parallel,
            concurrency,
            approve: ({ call: asked }) => ({ approved: calls[asked.index]?.approve === true }),
            onEvent: (event) => {
              events.push(event);
              handler(event);
              if (event.type === "call-release" && --awaited === 0) releasedAll();
            },
          });
          expect(results).toHaveLength(calls.length);
          // Calls answered before their tool ended each get one call-release, once it ends.
          const pending = events.filter(
            (event) =>
              event.type === "call-end" &&
              event.startTime !== undefined &&
              !event.result.ok &&
              ["timeout", "aborted"].includes(event.result.error.code),
          ).length;
          awaited += pending;
          letGo();
          if (awaited > 0) await released;
          // Every span started was ended exactly once: none leaked, none ended twice.
          expect([...ends.values()].every((count) => count === 1)).toBe(true);
          const spans = tracing.spans();
          expect(spans).toHaveLength(ends.size);
          const batches = spans.filter((span) => span.name === "toolbatch.batch");
          const callSpans = spans.filter((span) => span.name.startsWith("execute_tool "));
          const releases = spans.filter((span) => span.name.startsWith("toolbatch.release "));
          expect(batches).toHaveLength(calls.length === 0 ? 0 : 1);
          expect(
            callSpans.map((span) => span.attributes["gen_ai.tool.call.id"]).sort(),
          ).toStrictEqual(batch.calls.map((each) => each.id).sort());
          expect(releases).toHaveLength(pending);
          for (const span of callSpans) {
            expect(isChildOf(span, batches[0] as (typeof batches)[number])).toBe(true);
            const result = results[span.attributes["toolbatch.call.index"] as number];
            expect(span.attributes["error.type"]).toBe(result?.ok ? undefined : result?.error.code);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
