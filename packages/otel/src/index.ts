export { composeEvents } from "./compose-events.js";
export { createToolTracer, type ToolTracer } from "./create-tool-tracer.js";
export { InvalidToolTracerOptionError } from "./invalid-tool-tracer-option-error.js";
export { GEN_AI_SCHEMA_URL } from "./span-attributes.js";
export type { ContentKind, RedactHook, ToolTracerOptions } from "./tool-tracer-options.js";
export {
  extractTraceContext,
  injectTraceContext,
  runInTraceContext,
  type TraceCarrier,
} from "./trace-context.js";
export type { TracedEvent } from "./traced-event.js";
