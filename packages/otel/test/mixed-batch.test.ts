import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createToolTracer } from "../src/index.js";
import { mixedBatch } from "./support/mixed-batch.js";
import { isChildOf, millis, shapeOf, useTracing } from "./support/tracing.js";

const tracing = useTracing();
const UNSET = { code: SpanStatusCode.UNSET };
const ERROR = { code: SpanStatusCode.ERROR };

const tool = (name: string, id: string, index: number, extra: Record<string, unknown> = {}) => ({
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": name,
  "gen_ai.tool.call.id": id,
  "gen_ai.tool.type": "function",
  "toolbatch.call.index": index,
  ...extra,
});

/** Runs the mixed batch under an application span, tracing it; returns the spans by name. */
async function traceMixedBatch(options: Parameters<typeof createToolTracer>[0] = {}) {
  tracing.exporter.reset();
  const { run, tools } = mixedBatch();
  const tracer = createToolTracer({ tracer: tracing.tracer, tools, ...options });
  const batchIds = new Set<string | undefined>();
  const results = await tracing.tracer.startActiveSpan("chat", async (chat) => {
    const answered = await run((event) => {
      batchIds.add(event.batchId);
      tracer(event);
    });
    chat.end();
    return answered;
  });
  const spans = tracing.spans();
  const named = (name: string) => spans.filter((span) => span.name === name);
  const only = (name: string) => {
    const found = named(name);
    expect(found).toHaveLength(1);
    return found[0] as ReadableSpan;
  };
  return { spans, named, only, results, batchIds: [...batchIds] };
}

describe("a mixed batch through executeBatch", () => {
  it("gives each call one execute_tool span with the conventions' attributes, error.type and status", async () => {
    const { spans, named, only, batchIds } = await traceMixedBatch();
    expect(spans).toHaveLength(1 + 1 + 7 + 2);
    // Every event named the one batch run; its span carries that id.
    expect(batchIds).toHaveLength(1);
    expect(batchIds[0]).toBeTypeOf("string");
    const byId = (id: string) =>
      spans.find(
        (span) =>
          span.attributes["gen_ai.tool.call.id"] === id && span.name.startsWith("execute_tool"),
      );
    const weather = named("execute_tool get_weather");
    expect(weather).toHaveLength(2);
    expect(shapeOf(byId("call_0") as ReadableSpan)).toStrictEqual({
      name: "execute_tool get_weather",
      kind: SpanKind.INTERNAL,
      attributes: tool("get_weather", "call_0", 0, {
        "gen_ai.tool.description": "Current weather for a city",
      }),
      status: UNSET,
      events: [],
    });
    const failed = (
      name: string,
      id: string,
      index: number,
      description: string | undefined,
      code: string,
    ) => ({
      name: `execute_tool ${name}`,
      kind: SpanKind.INTERNAL,
      attributes: tool(name, id, index, {
        ...(description ? { "gen_ai.tool.description": description } : {}),
        "error.type": code,
      }),
      status: ERROR,
      events: [],
    });
    expect(shapeOf(byId("call_1") as ReadableSpan)).toStrictEqual(
      failed("explode", "call_1", 1, "Always fails", "execution_failed"),
    );
    expect(shapeOf(byId("call_2") as ReadableSpan)).toStrictEqual(
      failed("get_weather", "call_2", 2, "Current weather for a city", "invalid_input"),
    );
    expect(shapeOf(byId("call_3") as ReadableSpan)).toStrictEqual(
      failed("book_flight", "call_3", 3, undefined, "unknown_tool"),
    );
    expect(shapeOf(byId("call_4") as ReadableSpan)).toStrictEqual(
      failed("slow_report", "call_4", 4, "Ignores its signal", "timeout"),
    );
    expect(shapeOf(byId("call_6") as ReadableSpan)).toStrictEqual(
      failed("wait_for_abort", "call_6", 6, "Ends when aborted", "aborted"),
    );
    const payment = byId("call_5") as ReadableSpan;
    const decided = payment.events[1]?.attributes ?? {};
    expect(decided["toolbatch.approval.wait_ms"]).toBeTypeOf("number");
    expect(shapeOf(payment)).toStrictEqual({
      ...failed("send_payment", "call_5", 5, "Sends money", "denied"),
      events: [
        { name: "toolbatch.approval.requested", attributes: {} },
        {
          name: "toolbatch.approval.decided",
          attributes: {
            "toolbatch.approval.approved": false,
            "toolbatch.approval.reason": "over budget",
            "toolbatch.approval.wait_ms": decided["toolbatch.approval.wait_ms"],
          },
        },
      ],
    });
    expect(shapeOf(only("toolbatch.batch"))).toStrictEqual({
      name: "toolbatch.batch",
      kind: SpanKind.INTERNAL,
      attributes: {
        "toolbatch.batch.size": 7,
        "toolbatch.batch.provider": "test",
        "toolbatch.batch.complete": true,
        "toolbatch.batch.failed": 6,
        "toolbatch.batch.id": batchIds[0],
      },
      status: UNSET,
      events: [],
    });
  });

  it("takes a started call's description from its call-start; the tools option only for calls that never started", async () => {
    const { spans } = await traceMixedBatch({ tools: undefined });
    const description = (id: string) =>
      spans.find(
        (span) =>
          span.attributes["gen_ai.tool.call.id"] === id && span.name.startsWith("execute_tool"),
      )?.attributes["gen_ai.tool.description"];
    // Started: ok, thrown, timeout, aborted. Never started: invalid input, unknown tool, denied.
    expect(["call_0", "call_1", "call_4", "call_6"].map(description)).toStrictEqual([
      "Current weather for a city",
      "Always fails",
      "Ignores its signal",
      "Ends when aborted",
    ]);
    expect(["call_2", "call_3", "call_5"].map(description)).toStrictEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("parents app span -> batch span -> call spans, and a lingering tool's release under its call", async () => {
    const { spans, only, named } = await traceMixedBatch();
    const chat = only("chat");
    const batch = only("toolbatch.batch");
    expect(isChildOf(batch, chat)).toBe(true);
    const calls = spans.filter((span) => span.name.startsWith("execute_tool "));
    expect(calls).toHaveLength(7);
    for (const call of calls) expect(isChildOf(call, batch)).toBe(true);
    // Both calls answered before their tools ended get a release span, children of their call
    // span, from the answer to the tool's end, after the batch span ended.
    const slow = calls.find((span) => span.name === "execute_tool slow_report") as ReadableSpan;
    const release = only("toolbatch.release slow_report");
    expect(isChildOf(release, slow)).toBe(true);
    expect(millis(release.startTime)).toBe(millis(slow.endTime));
    expect(millis(release.endTime)).toBeGreaterThanOrEqual(millis(batch.endTime));
    const ranMs = release.attributes["toolbatch.release.ran_ms"];
    expect(ranMs).toBeTypeOf("number");
    expect(shapeOf(release)).toStrictEqual({
      name: "toolbatch.release slow_report",
      kind: SpanKind.INTERNAL,
      attributes: {
        "gen_ai.tool.name": "slow_report",
        "gen_ai.tool.call.id": "call_4",
        "toolbatch.release.outcome": "ok",
        "toolbatch.release.ran_ms": ranMs,
      },
      status: UNSET,
      events: [],
    });
    const aborted = only("toolbatch.release wait_for_abort");
    expect(isChildOf(aborted, named("execute_tool wait_for_abort")[0] as ReadableSpan)).toBe(true);
    expect(aborted.attributes["toolbatch.release.outcome"]).toBe("execution_failed");
    expect(aborted.attributes["error.type"]).toBe("execution_failed");
    expect(aborted.status).toStrictEqual(ERROR);
    // Every span ended inside its batch's time, the release spans excepted.
    for (const call of calls) {
      expect(millis(call.startTime)).toBeGreaterThanOrEqual(millis(batch.startTime));
      expect(millis(call.endTime)).toBeLessThanOrEqual(millis(batch.endTime));
    }
  });

  it("records no content unless asked, and content through the redaction hook when asked", async () => {
    const plain = await traceMixedBatch();
    for (const span of plain.spans) {
      expect(
        Object.keys(span.attributes).filter((key) => key.startsWith("gen_ai.tool.call.a")),
      ).toStrictEqual([]);
      expect(span.attributes["gen_ai.tool.call.result"]).toBeUndefined();
    }
    const asked: string[] = [];
    const captured = await traceMixedBatch({
      captureContent: true,
      redact: (kind, value, call) => {
        asked.push(`${kind} ${call.id}`);
        if (call.name === "send_payment") return undefined;
        if (call.name === "explode") throw new Error("redaction failed");
        if (kind === "arguments" && call.name === "get_weather") {
          return { city: "[redacted]", keys: Object.keys(value as object) };
        }
        return value;
      },
    });
    const attributesOf = (id: string, name = "execute_tool") => {
      const span = captured.spans.find(
        (each) => each.attributes["gen_ai.tool.call.id"] === id && each.name.startsWith(name),
      ) as ReadableSpan;
      return [
        span.attributes["gen_ai.tool.call.arguments"],
        span.attributes["gen_ai.tool.call.result"],
      ];
    };
    expect(attributesOf("call_0")).toStrictEqual([
      '{"city":"[redacted]","keys":["city"]}',
      '{"city":"Paris","celsius":21}',
    ]);
    // A hook that throws records nothing; one that returns undefined drops the value.
    expect(attributesOf("call_1")).toStrictEqual([undefined, undefined]);
    expect(attributesOf("call_5")).toStrictEqual([undefined, undefined]);
    // A failure's result is its error, what the model read; a string output is kept as it is.
    const unknown = captured.results[3];
    expect(unknown?.ok).toBe(false);
    expect(attributesOf("call_3")).toStrictEqual([
      '{"to":"Lima"}',
      JSON.stringify(unknown?.ok === false ? unknown.error : null),
    ]);
    expect(attributesOf("call_4", "toolbatch.release")).toStrictEqual([undefined, "late report"]);
    expect(asked).toContain("result call_4");
  });
});
