import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type {
  BatchEndEvent,
  CallEndEvent,
  CallReleaseEvent,
  ToolCall,
  ToolCallBatch,
  ToolResult,
} from "@toolbatch/core";
import { contentAttribute } from "./capture-content.js";
import { ATTR, EVENT, SPAN } from "./span-attributes.js";
import type { RedactHook } from "./tool-tracer-options.js";
import { batchKeyOf, stepOf, type TracedEvent } from "./traced-event.js";

/** What the recorder needs, once the options are checked. */
export interface RecorderSettings {
  readonly tracer: Tracer;
  readonly captureContent: boolean;
  readonly redact: RedactHook | undefined;
  readonly descriptions: ReadonlyMap<string, string>;
}

/** A batch that began (`batch-start`) and has no span yet: it gets one with its first call. */
interface BatchOpening {
  readonly time: number;
  /** The context active when it began, whose span (the application's) parents the batch span. */
  readonly parent: Context;
}

interface BatchTrace {
  readonly span: Span;
  readonly context: Context;
  readonly step: number | undefined;
}

interface CallTrace {
  readonly span: Span;
  readonly context: Context;
  readonly step: number | undefined;
  /** Until the call is answered (`call-end`). */
  open: boolean;
  /** When it was answered: where a tool that ran on after its answer starts its release span. */
  answeredAt: number | undefined;
}

/** Turns events into spans; see the package README for what each event becomes. */
export interface SpanRecorder {
  record(event: TracedEvent): void;
  /** The context of a call's `execute_tool` span, once the call has one. */
  contextOf(call: ToolCall): Context | undefined;
}

export function createSpanRecorder(settings: RecorderSettings): SpanRecorder {
  const { tracer, captureContent, redact, descriptions } = settings;
  // One open batch per key (its batch id: see batchKeyOf), so batches running at once each get
  // their own span. A batch's span opens with its first call, never for a batch without calls.
  const openings = new Map<string, BatchOpening>();
  const batches = new Map<string, BatchTrace>();
  // By the call object the events share, not by id: ids repeat across conversations.
  const calls = new WeakMap<ToolCall, CallTrace>();

  const content = (
    span: Span,
    attribute: string,
    kind: "arguments" | "result",
    value: unknown,
    call: ToolCall,
  ) => {
    if (!captureContent) return;
    const text = contentAttribute(redact, kind, value, call);
    if (text !== undefined) span.setAttribute(attribute, text);
  };

  const openBatch = (event: TracedEvent, time: number): BatchTrace => {
    const key = batchKeyOf(event);
    const open = batches.get(key);
    if (open) return open;
    // From its batch-start when it had one: the application's span active when the batch began
    // (its `chat` or request span) parents it, and the span starts when the batch did.
    const opening = openings.get(key);
    const parent = opening?.parent ?? context.active();
    const step = stepOf(event);
    const attributes: Attributes = {};
    if (step !== undefined) attributes[ATTR.loopStep] = step;
    if (event.batchId !== undefined) attributes[ATTR.batchId] = event.batchId;
    const span = tracer.startSpan(
      SPAN.batch,
      { kind: SpanKind.INTERNAL, startTime: opening?.time ?? time, attributes },
      parent,
    );
    const batch = { span, context: trace.setSpan(parent, span), step };
    batches.set(key, batch);
    return batch;
  };

  const describeBatch = (span: Span, batch: ToolCallBatch) => {
    span.setAttributes({
      [ATTR.batchSize]: batch.calls.length,
      [ATTR.batchProvider]: batch.provider,
      [ATTR.batchComplete]: batch.complete,
    });
  };

  /** The call's open span, or a new one from `time` (a call run again gets a new span). */
  const callTrace = (
    event: TracedEvent,
    call: ToolCall,
    time: number,
    input: unknown,
    description?: string | undefined,
  ): CallTrace => {
    const known = calls.get(call);
    if (known?.open) return known;
    const batch = openBatch(event, time);
    const attributes: Attributes = {
      [ATTR.operationName]: "execute_tool",
      [ATTR.toolName]: call.name,
      [ATTR.toolCallId]: call.id,
      [ATTR.toolType]: "function",
      [ATTR.callIndex]: call.index,
    };
    // The executed tool's own (call-start's); the `tools` option's for a call that never started.
    const described = description || descriptions.get(call.name);
    if (described) attributes[ATTR.toolDescription] = described;
    if (batch.step !== undefined) attributes[ATTR.loopStep] = batch.step;
    const span = tracer.startSpan(
      SPAN.tool(call.name),
      { kind: SpanKind.INTERNAL, startTime: time, attributes },
      batch.context,
    );
    content(span, ATTR.toolArguments, "arguments", input, call);
    const created: CallTrace = {
      span,
      context: trace.setSpan(batch.context, span),
      step: batch.step,
      open: true,
      answeredAt: undefined,
    };
    calls.set(call, created);
    return created;
  };

  const fail = (span: Span, result: ToolResult) => {
    if (result.ok) return;
    span.setAttribute(ATTR.errorType, result.error.code);
    span.setStatus({ code: SpanStatusCode.ERROR });
  };

  const answer = (event: CallEndEvent) => {
    const { call, result } = event;
    const traced = callTrace(event, call, event.startTime ?? event.time, call.input);
    content(traced.span, ATTR.toolResult, "result", result.ok ? result.output : result.error, call);
    fail(traced.span, result);
    traced.open = false;
    traced.answeredAt = event.time;
    traced.span.end(event.time);
  };

  // A call answered `timeout` or `aborted` whose tool ran on: its execute_tool span ended at the
  // answer (what the model got, and when); the rest of the tool's run is a child span from the
  // answer to the release, holding what the tool came to. Created whole at release, so a tool that
  // never settles leaves no span open.
  const release = (event: CallReleaseEvent) => {
    const { call, outcome } = event;
    const traced = calls.get(call);
    if (!traced) return;
    const attributes: Attributes = {
      [ATTR.toolName]: call.name,
      [ATTR.toolCallId]: call.id,
      [ATTR.releaseOutcome]: outcome.ok ? "ok" : outcome.error.code,
      [ATTR.releaseRanMs]: event.durationMs,
    };
    if (traced.step !== undefined) attributes[ATTR.loopStep] = traced.step;
    const span = tracer.startSpan(
      SPAN.release(call.name),
      { kind: SpanKind.INTERNAL, startTime: traced.answeredAt ?? event.startTime, attributes },
      traced.context,
    );
    content(span, ATTR.toolResult, "result", outcome.ok ? outcome.output : outcome.error, call);
    fail(span, outcome);
    span.end(event.time);
  };

  const finish = (event: BatchEndEvent) => {
    const key = batchKeyOf(event);
    const open = batches.get(key);
    // A turn without calls (a loop's last step) ran no tool: no span for it.
    const batch =
      open ?? (event.batch.calls.length === 0 ? undefined : openBatch(event, event.startTime));
    openings.delete(key);
    if (!batch) return;
    describeBatch(batch.span, event.batch);
    batch.span.setAttribute(ATTR.batchFailed, event.results.filter((result) => !result.ok).length);
    // Every call is answered before batch-end; a span still open here would leak: end it.
    for (const call of event.batch.calls) {
      const traced = calls.get(call);
      if (traced?.open) {
        traced.open = false;
        traced.span.end(event.time);
      }
    }
    batch.span.end(event.time);
    batches.delete(key);
  };

  const record = (event: TracedEvent) => {
    switch (event.type) {
      case "batch-start":
        openings.set(batchKeyOf(event), { time: event.time, parent: context.active() });
        return;
      case "call-wait": {
        const attributes = { [ATTR.waitResource]: event.resource, [ATTR.waitReason]: event.reason };
        const traced = callTrace(event, event.call, event.time, event.call.input);
        traced.span.addEvent(EVENT.wait, attributes, event.time);
        return;
      }
      case "approval-requested":
        callTrace(event, event.call, event.time, event.input).span.addEvent(
          EVENT.approvalRequested,
          event.time,
        );
        return;
      case "approval-decided": {
        const attributes: Attributes = {
          [ATTR.approvalApproved]: event.approved,
          [ATTR.approvalWaitMs]: event.durationMs,
        };
        if (event.reason !== undefined) attributes[ATTR.approvalReason] = event.reason;
        const traced = callTrace(event, event.call, event.requestTime, event.call.input);
        traced.span.addEvent(EVENT.approvalDecided, attributes, event.time);
        return;
      }
      case "call-start": {
        const known = calls.get(event.call);
        if (!known?.open) {
          callTrace(event, event.call, event.time, event.input, event.description);
          return;
        }
        // Waited first (approval, a resource): the span began then; mark when it began to run.
        if (event.description) known.span.setAttribute(ATTR.toolDescription, event.description);
        known.span.addEvent(EVENT.started, event.time);
        return;
      }
      case "call-end":
        answer(event);
        return;
      case "call-release":
        release(event);
        return;
      case "batch-end":
        finish(event);
        return;
    }
  };

  return { record, contextOf: (call) => calls.get(call)?.context };
}
