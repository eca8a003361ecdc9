import { context, propagation, type SpanContext } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll } from "vitest";

/**
 * The real OpenTelemetry SDK as an application sets it up: a tracer provider exporting every ended
 * span to memory, AsyncLocalStorage as the context manager (so the active span follows awaits, as
 * under NodeSDK) and the W3C propagator. Registered for the test file, removed after it.
 */
export function useTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    manager.disable();
    context.disable();
    propagation.disable();
    await provider.shutdown();
  });
  return {
    exporter,
    tracer: provider.getTracer("toolbatch-test"),
    /** The ended spans, in the order they ended. */
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
  };
}

/** A span as the tests compare it: what a trace viewer shows, times left out. */
export function shapeOf(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes ?? {} })),
  };
}

/** Whether `child`'s parent is `parent` (same trace, parent span id). */
export function isChildOf(child: ReadableSpan, parent: { spanContext(): SpanContext }): boolean {
  const ids = parent.spanContext();
  return (
    child.spanContext().traceId === ids.traceId && child.parentSpanContext?.spanId === ids.spanId
  );
}

/** Span times as epoch milliseconds. */
export const millis = ([seconds, nanos]: readonly [number, number]) => seconds * 1e3 + nanos / 1e6;
