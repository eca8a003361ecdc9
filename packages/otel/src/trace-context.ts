import { type Context, context, propagation } from "@opentelemetry/api";

/**
 * A trace context as text fields, to carry across a process boundary in a job's data: with the
 * W3C propagator (the SDKs' default), `{ traceparent, tracestate? }`. Plain JSON.
 */
export type TraceCarrier = Record<string, string>;

/**
 * The trace context `from` (default: the active one) as a carrier, through the registered
 * propagator (`propagation.setGlobalPropagator`, which `NodeSDK` and `NodeTracerProvider.register()`
 * set to W3C Trace Context). Empty when no propagator is registered or no span is recording.
 */
export function injectTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier;
}

/**
 * The context a carrier describes, on top of `into` (default: the active one). The carrier crossed
 * a database: anything that is not an object of strings is ignored, and `into` comes back as it was.
 */
export function extractTraceContext(carrier: unknown, into: Context = context.active()): Context {
  if (typeof carrier !== "object" || carrier === null || Array.isArray(carrier)) return into;
  const fields: TraceCarrier = {};
  for (const [key, value] of Object.entries(carrier)) {
    if (typeof value === "string") fields[key] = value;
  }
  return propagation.extract(into, fields);
}

/**
 * Runs `run` with the carrier's trace context active, so the spans it starts (a worker's tool, its
 * HTTP and database calls) are children of the span that sent the job.
 */
export function runInTraceContext<T>(carrier: unknown, run: () => T): T {
  return context.with(extractTraceContext(carrier), run);
}
