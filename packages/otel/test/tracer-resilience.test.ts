import { context, type Span, type Tracer, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { defineTool, executeBatch, InvalidOptionError, type ToolResult } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  composeEvents,
  createToolTracer,
  extractTraceContext,
  InvalidToolTracerOptionError,
  runInTraceContext,
} from "../src/index.js";
import { batchOf, mixedBatch } from "./support/mixed-batch.js";
import { isChildOf, useTracing } from "./support/tracing.js";

const tracing = useTracing();
const codes = (results: readonly ToolResult[]) => results.map((r) => (r.ok ? "ok" : r.error.code));

/** A tracer that throws from `startSpan` after `healthy` spans, and from every span's `addEvent`. */
function hostileTracer(healthy: number): Tracer {
  let started = 0;
  return {
    startSpan(name, options, parent) {
      started++;
      if (started > healthy) throw new Error("tracer down");
      const span: Span = tracing.tracer.startSpan(name, options, parent);
      span.addEvent = () => {
        throw new Error("events down");
      };
      return span;
    },
    startActiveSpan: tracing.tracer.startActiveSpan.bind(tracing.tracer),
  };
}

describe("a tracer that fails", () => {
  it("never costs a call its result: the handler swallows its own failures", async () => {
    const expected = [
      "ok",
      "execution_failed",
      "invalid_input",
      "unknown_tool",
      "timeout",
      "denied",
      "aborted",
    ];
    for (const healthy of [0, 1, 3, 100]) {
      const results = await mixedBatch().run(createToolTracer({ tracer: hostileTracer(healthy) }));
      expect(codes(results)).toStrictEqual(expected);
    }
    const handler = createToolTracer({ tracer: hostileTracer(0) });
    expect(() => handler({ type: "call-start" } as never)).not.toThrow();
    expect(() => handler(null as never)).not.toThrow();
  });

  it("rejects options of the wrong type with a typed error", () => {
    const cases: [string, Record<string, unknown>][] = [
      ["tracer", { tracer: {} }],
      ["captureContent", { captureContent: "yes" }],
      ["redact", { redact: "all" }],
      ["tools", { tools: 3 }],
    ];
    for (const [option, options] of cases) {
      const thrown = (() => {
        try {
          createToolTracer(options as never);
        } catch (error) {
          return error;
        }
      })();
      expect(InvalidToolTracerOptionError.isInstance(thrown)).toBe(true);
      // Core's InvalidOptionError under the tracer's name: one class of option errors.
      expect(InvalidOptionError.isInstance(thrown)).toBe(true);
      expect((thrown as InvalidToolTracerOptionError).option).toBe(option);
      expect((thrown as InvalidToolTracerOptionError).value).toStrictEqual(options[option]);
      expect((thrown as Error).message).toMatch(
        new RegExp(`^\\[toolbatch/otel\\] Option "${option}" must be`),
      );
    }
  });
});

describe("composeEvents", () => {
  it("calls every handler even when one throws, then throws the first failure", () => {
    const seen: string[] = [];
    const composed = composeEvents<number>(
      (n) => seen.push(`a${n}`),
      () => {
        throw new Error("first");
      },
      undefined,
      () => {
        throw new Error("second");
      },
      (n) => seen.push(`b${n}`),
    );
    expect(() => composed(1)).toThrow("first");
    expect(seen).toStrictEqual(["a1", "b1"]);
  });
});

describe("trace context", () => {
  it("carries the call span's context to a worker: traceparent in, child spans out", async () => {
    tracing.exporter.reset();
    const tracer = createToolTracer({ tracer: tracing.tracer });
    const carried: Record<string, string>[] = [];
    const inProcess = defineTool({
      name: "fetch_page",
      description: "Fetches a page",
      input: z.object({ url: z.string() }),
      execute: (_input, { call }) => {
        carried.push(tracer.injectTraceContext(call));
        // In process: the tool's own span under its call's span.
        context.with(tracer.contextOf(call) ?? context.active(), () =>
          tracing.tracer.startSpan("GET").end(),
        );
        return "ok";
      },
    });
    await executeBatch(batchOf([{ name: "fetch_page", input: { url: "u" } }]), [inProcess], {
      onEvent: tracer,
    });
    // The worker: the carrier crossed a database as JSON.
    const carrier: unknown = JSON.parse(JSON.stringify(carried[0]));
    runInTraceContext(carrier, () => tracing.tracer.startSpan("worker run").end());
    const spans = tracing.spans();
    const call = spans.find((span) => span.name === "execute_tool fetch_page") as ReadableSpan;
    const { traceId, spanId } = call.spanContext();
    expect(carrier).toStrictEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    for (const name of ["GET", "worker run"]) {
      expect(isChildOf(spans.find((span) => span.name === name) as ReadableSpan, call)).toBe(true);
    }
    // Garbage from a job's data leaves the context as it was.
    const root = context.active();
    for (const garbage of [null, 7, "00-x", ["traceparent"], { traceparent: 5 }]) {
      expect(trace.getSpanContext(extractTraceContext(garbage, root))).toBeUndefined();
    }
  });
});
