import type { Tracer } from "@opentelemetry/api";
import type { ToolCall, ToolSet } from "@toolbatch/core";

/** Which content a {@link RedactHook} is asked about: a call's arguments or its result. */
export type ContentKind = "arguments" | "result";

/**
 * Decides what of a call's arguments or result reaches a span, before it is recorded. Returns the
 * value to record (a string as it is, anything else as JSON), or `undefined` to record nothing.
 * For a result, `value` is the tool's output on success and the error (`{ code, message }`, what the
 * model reads) on failure. A hook that throws records nothing: content is never recorded unredacted.
 */
export type RedactHook = (kind: ContentKind, value: unknown, call: ToolCall) => unknown;

/** Options of {@link createToolTracer}. Each accepts `undefined` as absent. */
export interface ToolTracerOptions {
  /**
   * The tracer spans are started with. Default: the global tracer provider's
   * `@toolbatch/otel` tracer, with the GenAI conventions' schema URL.
   */
  tracer?: Tracer | undefined;
  /**
   * Records `gen_ai.tool.call.arguments` and `gen_ai.tool.call.result` (the conventions' opt-in,
   * sensitive attributes), passed through `redact` first. Default false: no content on any span.
   */
  captureContent?: boolean | undefined;
  /** Applied to every argument and result before it reaches a span (with `captureContent`). */
  redact?: RedactHook | undefined;
  /**
   * The tools, for the `gen_ai.tool.description` of calls that never started (invalid input,
   * denied, not executed): a call that starts gets its tool's description from its `call-start`,
   * with or without this option. Without it, those calls' spans have no description.
   */
  tools?: readonly { readonly name: string; readonly description: string }[] | ToolSet | undefined;
}
