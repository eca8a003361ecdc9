import { type Context, context, trace } from "@opentelemetry/api";
import type { ToolCall } from "@toolbatch/core";
import { InvalidToolTracerOptionError } from "./invalid-tool-tracer-option-error.js";
import { GEN_AI_SCHEMA_URL } from "./span-attributes.js";
import { createSpanRecorder } from "./span-recorder.js";
import type { ToolTracerOptions } from "./tool-tracer-options.js";
import { injectTraceContext, type TraceCarrier } from "./trace-context.js";
import type { TracedEvent } from "./traced-event.js";

/**
 * An `onEvent` handler that records a batch's events as spans, usable wherever toolbatch takes one:
 * `executeBatch(batch, tools, { onEvent: tracer })`, `runToolLoop({ ..., onEvent: tracer })`, or
 * next to the application's own with {@link composeEvents}. It never throws: a failing tracer,
 * exporter or redaction hook costs spans, never a call's result.
 */
export interface ToolTracer {
  (event: TracedEvent): void;
  /**
   * The context of the call's `execute_tool` span (from its first event on), for parenting the
   * tool's own spans: `context.with(tracer.contextOf(call) ?? context.active(), ...)` in `execute`.
   */
  contextOf(call: ToolCall): Context | undefined;
  /**
   * The call's span context as a carrier for a job's data (`{ traceparent, tracestate? }`), so the
   * worker that runs it continues the trace under its `execute_tool` span (see
   * {@link runInTraceContext}). The active context where the call has no span yet.
   */
  injectTraceContext(call: ToolCall): TraceCarrier;
}

/**
 * Creates a {@link ToolTracer}: toolbatch's execution events as OpenTelemetry spans following the
 * GenAI semantic conventions. One handler follows any number of batches, one after another or at
 * once: each event names its batch (`batchId`), and each batch gets its own span.
 * @throws {InvalidToolTracerOptionError} when an option has the wrong type.
 */
export function createToolTracer(options: ToolTracerOptions = {}): ToolTracer {
  const { tracer, captureContent, redact, tools } = options;
  if (tracer !== undefined && typeof tracer?.startSpan !== "function") {
    throw new InvalidToolTracerOptionError("tracer", "an OpenTelemetry Tracer", tracer);
  }
  if (captureContent !== undefined && typeof captureContent !== "boolean") {
    throw new InvalidToolTracerOptionError("captureContent", "a boolean", captureContent);
  }
  if (redact !== undefined && typeof redact !== "function") {
    throw new InvalidToolTracerOptionError("redact", "a function", redact);
  }
  const list =
    tools === undefined ? [] : Array.isArray(tools) ? tools : (tools as { tools?: unknown }).tools;
  if (!Array.isArray(list)) {
    throw new InvalidToolTracerOptionError("tools", "a list of tools or a ToolSet", tools);
  }
  const descriptions = new Map<string, string>();
  for (const tool of list as readonly { name?: unknown; description?: unknown }[]) {
    if (typeof tool?.name === "string" && typeof tool.description === "string") {
      descriptions.set(tool.name, tool.description);
    }
  }
  const recorder = createSpanRecorder({
    tracer:
      tracer ??
      trace
        .getTracerProvider()
        .getTracer("@toolbatch/otel", undefined, { schemaUrl: GEN_AI_SCHEMA_URL }),
    captureContent: captureContent ?? false,
    redact,
    descriptions,
  });
  const handler = (event: TracedEvent) => {
    try {
      recorder.record(event);
    } catch {
      // A tracer or exporter that throws must not break the batch (nor the next event's spans).
    }
  };
  return Object.assign(handler, {
    contextOf: (call: ToolCall) => recorder.contextOf(call),
    injectTraceContext: (call: ToolCall) => {
      try {
        return injectTraceContext(recorder.contextOf(call) ?? context.active());
      } catch {
        return {};
      }
    },
  });
}
