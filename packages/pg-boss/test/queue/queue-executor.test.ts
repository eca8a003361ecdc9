import {
  type ExecutionEvent,
  executeBatch,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJobId } from "../../src/queue/queue-protocol.js";
import { createTestDatabase } from "../support/test-database.js";
import {
  pureTools,
  type QueueHarness,
  startHarness,
  withoutCause,
} from "./support/queue-fixture.js";

const names = ["add", "locked_add", "barrier_echo", "throws", "bad_output", "missing"];

const callArbitrary = fc.record({
  name: fc.constantFrom(...names),
  a: fc.integer({ min: 0, max: 9 }),
  b: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant("x")),
  broken: fc.boolean().map((value) => value && Math.random() < 0.1),
});

function batchOf(specs: Array<{ name: string; a: number; b: number | string; broken: boolean }>) {
  const calls: ToolCall[] = specs.map((spec, index) => ({
    id: `call_${index}`,
    name: spec.name,
    input: { a: spec.a, b: spec.b },
    index,
    ...(spec.broken ? { inputError: "Unexpected end of JSON input" } : {}),
  }));
  return { provider: "test", calls, complete: true, turn: null } satisfies ToolCallBatch;
}

/** Per call, the types of its events in order, and its call-end result; batch-end's results. */
function summary(events: ExecutionEvent[]) {
  const perCall: Record<string, string[]> = {};
  const ends: Record<string, ToolResult> = {};
  let batchEnd: ToolResult[] | undefined;
  for (const event of events) {
    if (event.type === "batch-end") {
      batchEnd = event.results.map(withoutCause);
      continue;
    }
    // Batch-level events (batch-start) carry no call.
    if (!("call" in event)) continue;
    const list = perCall[event.call.id] ?? [];
    list.push(event.type);
    perCall[event.call.id] = list;
    if (event.type === "call-end") ends[event.call.id] = withoutCause(event.result);
  }
  return { perCall, ends, batchEnd };
}

describe("the queue executor on two in-process workers", () => {
  let harness: QueueHarness;
  let sql: pg.Client;

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("queue_executor");
    harness = await startHarness(connectionString, pureTools);
    sql = new pg.Client({ connectionString });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await harness?.stop();
  });

  it("job ids derive from the batch and call ids: stable, distinct, RFC 9562 version 8", () => {
    const id = callJobId("batch-1", "call_0");
    expect(id).toBe(callJobId("batch-1", "call_0"));
    expect(id).not.toBe(callJobId("batch-1", "call_1"));
    expect(id).not.toBe(callJobId("batch-1call_0", ""));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("answers a batch as core does in the process: results, order, events (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(callArbitrary, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (specs, parallel) => {
          const batch = batchOf(specs);
          const local: ExecutionEvent[] = [];
          const remote: ExecutionEvent[] = [];
          const expected = await executeBatch(batch, pureTools, {
            parallel,
            onEvent: (event) => local.push(event),
          });
          const actual = await harness.executor.executeBatch(batch, pureTools, {
            parallel,
            onEvent: (event) => remote.push(event),
          });
          expect(actual.map(withoutCause)).toStrictEqual(expected.map(withoutCause));
          expect(summary(remote)).toStrictEqual(summary(local));
          if (!parallel) {
            const order = (events: ExecutionEvent[]) =>
              events.map((event) => `${event.type}:${"call" in event ? event.call.id : ""}`);
            expect(order(remote)).toStrictEqual(order(local));
          }
        },
      ),
      { numRuns: 25 },
    );
    // The tools ran on the workers: every call that ran has its settled row, written by one.
    const { rows } = await sql.query(
      "SELECT state, worker, count(*)::int AS n FROM toolbatch.call_runs GROUP BY 1, 2",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({
        state: "settled",
        worker: expect.stringMatching(/^worker-[01]$/),
      });
  });

  it("runs a lock-keyed call through a worker and answers it once", async () => {
    const batch = batchOf([{ name: "locked_add", a: 4, b: 5, broken: false }]);
    const started = performance.now();
    const [result] = await harness.executor.executeBatch(batch, pureTools);
    const elapsed = performance.now() - started;
    expect(result).toStrictEqual({
      callId: "call_0",
      name: "locked_add",
      ok: true,
      output: { sum: 9 },
    });
    console.log(`[queue] one call round trip: ${elapsed.toFixed(1)} ms`);
  });
});
