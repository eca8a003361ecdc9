import { context, propagation, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  type AnyTool,
  defineTool,
  jsonSchema,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import { createToolTracer, runInTraceContext } from "@toolbatch/otel";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidQueueOptionError } from "../../src/queue/invalid-queue-option-error.js";
import { createQueueExecutor, type QueueExecutorOptions } from "../../src/queue/queue-executor.js";
import { readCallJobData } from "../../src/queue/queue-protocol.js";
import { createToolWorker, type ToolWorkerOptions } from "../../src/queue/tool-worker.js";
import { createTestDatabase } from "../support/test-database.js";
import { type QueueHarness, startBoss, startHarness } from "./support/queue-fixture.js";

// Issue 19: the coordinator's trace context crosses the queue in the job's data, and the worker
// runs the tool in it, so the tool's own spans are children of the call's `execute_tool` span.
// The real OpenTelemetry SDK, set up as an application does (AsyncLocalStorage, W3C propagator);
// the tracer provider stays local, so pg-boss's own spans (it traces the global provider) stay out.

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const manager = new AsyncLocalStorageContextManager();
const otel: Tracer = provider.getTracer("toolbatch-pg-boss-test");

/** A tool that starts a span of its own where it runs (on a worker), named after its call. */
function fetchPage(runs: string[]): AnyTool {
  return defineTool({
    name: "fetch_page",
    description: "Fetches a page",
    input: jsonSchema<{ url: string }>({ type: "object" }),
    execute: ({ url }, { call }) => {
      runs.push(call.id);
      otel.startSpan(`GET ${call.id}`).end();
      return `page ${url}`;
    },
  }) as AnyTool;
}

function batchOf(count: number): ToolCallBatch {
  const calls = Array.from({ length: count }, (_, index) => ({
    id: `call_${index}`,
    name: "fetch_page",
    input: { url: `https://example.com/${index}` },
    index,
  }));
  return { provider: "test", calls, complete: true, turn: null };
}

const span = (name: string) => exporter.getFinishedSpans().find((each) => each.name === name);

describe("trace context on the queue executor", () => {
  let connectionString: string;
  let sql: pg.Client;
  const harnesses: QueueHarness[] = [];

  beforeAll(async () => {
    context.setGlobalContextManager(manager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    ({ connectionString } = await createTestDatabase("queue_tracing"));
    sql = new pg.Client({ connectionString });
    await sql.connect();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((harness) => harness.stop()));
    await sql?.end();
    manager.disable();
    context.disable();
    propagation.disable();
    await provider.shutdown();
  });

  it("parents the tool's spans on the worker under the coordinator's execute_tool span", async () => {
    exporter.reset();
    const runs: string[] = [];
    const tools = [fetchPage(runs)];
    const tracer = createToolTracer({ tracer: otel, tools });
    const harness = await startHarness(connectionString, tools, {
      queue: "traced",
      workers: 2,
      executor: { traceContext: (call) => tracer.injectTraceContext(call) },
      worker: { runInContext: runInTraceContext },
    });
    harnesses.push(harness);
    const batch = batchOf(2);
    const results = await harness.executor.executeBatch(batch, tools, { onEvent: tracer });
    expect(results.map((result) => result.ok)).toStrictEqual([true, true]);
    expect(runs.sort()).toStrictEqual(["call_0", "call_1"]);

    const spans = exporter.getFinishedSpans();
    const batchSpan = span("toolbatch.batch") as ReadableSpan;
    const callSpans = spans.filter((each) => each.name === "execute_tool fetch_page");
    expect(callSpans).toHaveLength(2);
    for (const call of batch.calls) {
      const callSpan = callSpans.find(
        (each) => each.attributes["gen_ai.tool.call.id"] === call.id,
      ) as ReadableSpan;
      const { traceId, spanId } = callSpan.spanContext();
      expect(callSpan.parentSpanContext?.spanId).toBe(batchSpan.spanContext().spanId);
      // The job carried the call span's context, and nothing else.
      const { rows } = await sql.query(
        "SELECT data->'trace' AS trace FROM pgboss.job WHERE name = 'traced' AND data->'call'->>'id' = $1",
        [call.id],
      );
      expect(rows).toStrictEqual([{ trace: { traceparent: `00-${traceId}-${spanId}-01` } }]);
      // The worker's span: same trace, the call's span as its parent, exactly.
      const toolSpan = span(`GET ${call.id}`) as ReadableSpan;
      expect(toolSpan.spanContext().traceId).toBe(traceId);
      expect(toolSpan.parentSpanContext?.spanId).toBe(spanId);
      expect(toolSpan.parentSpanContext?.isRemote).toBe(true);
    }
  });

  it("runs every call once, whatever the traceContext and runInContext hooks do", async () => {
    exporter.reset();
    const runs: string[] = [];
    const tools = [fetchPage(runs)];
    const tracer = createToolTracer({ tracer: otel, tools });
    const hostileTrace: Array<(call: ToolCall) => Record<string, string> | undefined> = [
      () => {
        throw new Error("tracing down");
      },
      () => ({ traceparent: 5 }) as unknown as Record<string, string>,
      () => "00-abc" as unknown as Record<string, string>,
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error("no keys");
            },
          },
        ),
      () => undefined,
      (call) => tracer.injectTraceContext(call),
    ];
    let hooked = 0;
    const hostileRun: NonNullable<ToolWorkerOptions["runInContext"]>[] = [
      () => {
        throw new Error("context down");
      },
      () => Promise.reject(new Error("refused")),
      async (_trace, run) => {
        await run();
        await run();
        return "garbage";
      },
      async () => undefined,
      async (_trace, run) => {
        await run();
        throw new Error("after");
      },
    ];
    const harness = await startHarness(connectionString, tools, {
      queue: "hostile",
      workers: 2,
      executor: {
        traceContext: (call) => (hostileTrace[call.index] as (typeof hostileTrace)[0])(call),
      },
      worker: {
        runInContext: (trace, run) =>
          (hostileRun[hooked++ % hostileRun.length] as (typeof hostileRun)[0])(trace, run),
      },
    });
    harnesses.push(harness);
    const batch = batchOf(hostileTrace.length);
    const results = await harness.executor.executeBatch(batch, tools, { onEvent: tracer });
    expect(results).toStrictEqual(
      batch.calls.map((call, index) => ({
        callId: call.id,
        name: "fetch_page",
        ok: true,
        output: `page https://example.com/${index}`,
      })),
    );
    expect(runs.sort()).toStrictEqual(batch.calls.map((call) => call.id));
    expect(hooked).toBe(batch.calls.length);
    // Only the well-formed carrier reached a job.
    const { rows } = await sql.query(
      "SELECT data->'call'->>'id' AS id FROM pgboss.job WHERE name = 'hostile' AND data ? 'trace'",
    );
    expect(rows).toStrictEqual([{ id: "call_5" }]);
    // No hook ran the tool in a context: its spans are roots. The coordinator's context, in the
    // same process, does not leak into the worker's run (the first test's parent came by the job).
    for (const call of batch.calls) {
      expect(span(`GET ${call.id}`)?.parentSpanContext).toBeUndefined();
    }
  });

  it("reads a job's trace context as an object of strings, and ignores anything else", () => {
    const job = { batchId: "b", call: { id: "c", name: "t", index: 0 }, input: {}, lockKeys: [] };
    const carrier = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    expect(readCallJobData({ ...job, trace: carrier })).toStrictEqual({ ...job, trace: carrier });
    for (const trace of [null, 7, "x", ["x"], { traceparent: 5 }, {}]) {
      expect(readCallJobData({ ...job, trace })).toStrictEqual(job);
    }
  });

  it("refuses a traceContext or runInContext that is not a function", async () => {
    const boss = await startBoss(connectionString);
    try {
      const wrong = { traceContext: "yes" } as unknown as QueueExecutorOptions;
      await expect(createQueueExecutor(boss, wrong)).rejects.toThrow(InvalidQueueOptionError);
      const wrongWorker = { runInContext: 1 } as unknown as ToolWorkerOptions;
      await expect(createToolWorker(boss, [], wrongWorker)).rejects.toThrow(
        InvalidQueueOptionError,
      );
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  });
});
