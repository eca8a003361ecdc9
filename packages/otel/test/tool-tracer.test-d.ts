import type { Context } from "@opentelemetry/api";
import type { ExecuteBatchOptions, ExecutionEvent, runToolLoop, ToolCall } from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  composeEvents,
  createToolTracer,
  type RedactHook,
  type ToolTracerOptions,
  type TraceCarrier,
} from "../src/index.js";

type LoopOnEvent = NonNullable<Parameters<typeof runToolLoop>[0]["onEvent"]>;

describe("the public types", () => {
  it("a tracer is an onEvent for executeBatch and runToolLoop, alone or composed", () => {
    const tracer = createToolTracer();
    expectTypeOf(tracer).toExtend<NonNullable<ExecuteBatchOptions["onEvent"]>>();
    expectTypeOf(tracer).toExtend<LoopOnEvent>();
    const log = (_event: ExecutionEvent & { readonly step: number }) => {};
    expectTypeOf(composeEvents(tracer, log)).toExtend<LoopOnEvent>();
    expectTypeOf(tracer.contextOf).returns.toEqualTypeOf<Context | undefined>();
    expectTypeOf(tracer.injectTraceContext).parameters.toEqualTypeOf<[ToolCall]>();
    expectTypeOf(tracer.injectTraceContext).returns.toEqualTypeOf<TraceCarrier>();
  });

  it("every option accepts undefined; redact gets the kind, the value and the call", () => {
    // (Compiled with exactOptionalPropertyTypes by the README snippet check, too.)
    const options: ToolTracerOptions = {
      tracer: undefined,
      captureContent: undefined,
      redact: undefined,
      tools: undefined,
    };
    expectTypeOf(createToolTracer).toBeCallableWith(options);
    expectTypeOf<Parameters<RedactHook>>().toEqualTypeOf<
      [kind: "arguments" | "result", value: unknown, call: ToolCall]
    >();
  });
});
