import { anthropic } from "@toolbatch/anthropic";
import {
  anthropicWire,
  assembleStream,
  geminiLegacyWire,
  geminiWire,
  loadRecordings,
  openaiChatWire,
  openaiResponsesWire,
  type Recording,
  type WireProfile,
} from "@toolbatch/contract";
import {
  type AnyTool,
  type BatchOutcome,
  type BatchStore,
  createMemoryBatchStore,
  defineTool,
  jsonSchema,
  type ProviderAdapter,
  resumeBatch,
  runBatch,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import { googleGenAI, googleGenerativeAI } from "@toolbatch/google";
import { openaiChat, openaiResponses } from "@toolbatch/openai";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Issue 16: a vendor's recorded parallel batch, as its adapter reads it, run through runBatch
// with random approvals (some left undecided for a while), random lock keys and barriers, and a
// crash after a random number of store saves on each attempt, resumed from the store until it
// completes. Then the results become that vendor's follow-up, checked as the contract kit checks
// one: the vendor's published schema accepts the next request, and it carries one result per
// call, in call order, under the call's id. Every call ends with exactly one result, in call
// order; a call denied never runs; a call not idempotent runs at most once.

type AnyAdapter = ProviderAdapter<unknown, unknown, unknown, unknown>;
type AnyWire = WireProfile<unknown, unknown, unknown, unknown>;

const VENDORS: ReadonlyArray<{ name: string; wire: AnyWire; adapter: () => AnyAdapter }> = [
  { name: "openai-chat", wire: openaiChatWire, adapter: openaiChat },
  { name: "openai-responses", wire: openaiResponsesWire, adapter: openaiResponses },
  { name: "anthropic", wire: anthropicWire, adapter: anthropic },
  { name: "google-genai", wire: geminiWire, adapter: googleGenAI },
  { name: "google-generative-ai", wire: geminiLegacyWire, adapter: googleGenerativeAI },
] as unknown as ReadonlyArray<{ name: string; wire: AnyWire; adapter: () => AnyAdapter }>;

/** The vendor's recorded turns of more than one call, with the request that asked for them. */
function recordedBatches(vendor: (typeof VENDORS)[number]) {
  return loadRecordings(vendor.wire.vendor).flatMap((recording: Recording) => {
    if (recording.request === undefined) return [];
    const adapter = vendor.adapter();
    const batch =
      recording.kind === "json"
        ? adapter.toBatch(vendor.wire.response(recording))
        : assembleStream(
            adapter,
            vendor.wire.parseStream(recording.stream as NonNullable<Recording["stream"]>),
          ).batch;
    return batch.calls.length > 1 && batch.complete
      ? [{ key: recording.key, batch, request: recording.request }]
      : [];
  });
}

class Crash extends Error {}

/** How a call is decided: needs approval or not, approved or denied, after how many resumes. */
const callSpec = fc.record({
  asks: fc.boolean(),
  approve: fc.boolean(),
  undecidedFor: fc.nat({ max: 2 }),
});
/** How a tool (by name) is ordered: a lock key shared by its calls, a barrier, idempotent. */
const toolSpec = fc.record({
  key: fc.option(fc.constantFrom("a", "b"), { nil: undefined }),
  parallel: fc.boolean(),
  idempotent: fc.boolean(),
});
type CallSpec = { asks: boolean; approve: boolean; undecidedFor: number };
type ToolSpec = { key: string | undefined; parallel: boolean; idempotent: boolean };

function toolsFor(
  batch: ToolCallBatch,
  specOf: (callId: string) => CallSpec,
  toolOf: (name: string) => ToolSpec,
  runs: Map<string, number>,
): AnyTool[] {
  return [...new Set(batch.calls.map((call) => call.name))].map((name) => {
    const { key, parallel, idempotent } = toolOf(name);
    return defineTool({
      name,
      description: `The ${name} tool.`,
      input: jsonSchema<Record<string, unknown>>({ type: "object" }),
      needsApproval: (_input, { call }) => specOf(call.id).asks,
      lock: () => key,
      parallel,
      idempotent,
      execute: (_input, { call }) => {
        runs.set(call.id, (runs.get(call.id) ?? 0) + 1);
        return { ran: call.id };
      },
    });
  });
}

/** The store as a process that dies after `saves` more saves sees it. */
function dyingAfter(store: BatchStore, saves: number | undefined): BatchStore {
  const left = { saves: saves ?? Number.POSITIVE_INFINITY };
  return {
    load: (id) => store.load(id),
    save: (id, checkpoint, expected) =>
      left.saves-- > 0 ? store.save(id, checkpoint, expected) : Promise.reject(new Crash()),
  };
}

/** Runs the batch, crashing and resuming from the store, until it completes. */
async function toCompletion(
  batch: ToolCallBatch,
  tools: () => AnyTool[],
  specOf: (callId: string) => CallSpec,
  crashes: readonly (number | undefined)[],
): Promise<ToolResult[]> {
  const store = createMemoryBatchStore();
  let resumes = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    const dying = dyingAfter(store, crashes[attempt]);
    const stored = await store.load("b");
    let outcome: BatchOutcome;
    try {
      if (!stored) outcome = await runBatch(batch, tools(), { batchId: "b", store: dying });
      else {
        resumes++;
        const decisions = stored.checkpoint.pending
          .filter((request) => resumes > specOf(request.callId).undecidedFor)
          .map((request) => ({
            callId: request.callId,
            digest: request.digest,
            approved: specOf(request.callId).approve,
          }));
        outcome = await resumeBatch(stored.checkpoint, tools(), { store: dying, decisions });
      }
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      continue;
    }
    if (outcome.status === "complete") return outcome.results;
  }
  throw new Error("the batch did not complete in 40 attempts");
}

describe.each(VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "a resumed batch's follow-up (%s)",
  (_name, vendor) => {
    const recorded = recordedBatches(vendor);

    it("has a recorded parallel batch", () => {
      expect(recorded.length).toBeGreaterThan(0);
    });

    it("answers each call once, in order, and the vendor's schema accepts the follow-up", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...recorded),
          fc.array(callSpec, { minLength: 8, maxLength: 8 }),
          fc.array(toolSpec, { minLength: 4, maxLength: 4 }),
          fc.array(fc.option(fc.nat({ max: 8 }), { nil: undefined }), { maxLength: 5 }),
          async ({ batch, request }, callSpecs, toolSpecs, crashes) => {
            const index = new Map(batch.calls.map((call) => [call.id, call.index]));
            const specOf = (callId: string) =>
              callSpecs[(index.get(callId) ?? 0) % callSpecs.length] as CallSpec;
            const names = [...new Set(batch.calls.map((call) => call.name))];
            const toolOf = (name: string) =>
              toolSpecs[names.indexOf(name) % toolSpecs.length] as ToolSpec;
            const runs = new Map<string, number>();
            const tools = () => toolsFor(batch, specOf, toolOf, runs);
            const results = await toCompletion(batch, tools, specOf, crashes);

            expect(results.map((result) => result.callId)).toStrictEqual(
              batch.calls.map((call) => call.id),
            );
            for (const [i, call] of batch.calls.entries()) {
              const result = results[i] as ToolResult;
              const ran = runs.get(call.id) ?? 0;
              const { asks, approve } = specOf(call.id);
              if (asks && !approve) {
                expect(ran).toBe(0);
                expect(result.ok || result.error.code).toBe("denied");
              } else if (!toolOf(call.name).idempotent) expect(ran).toBeLessThanOrEqual(1);
              else expect(ran).toBeGreaterThanOrEqual(1);
            }

            const followUp = vendor.adapter().toFollowUp(batch, results) as unknown[];
            const { wire } = vendor;
            const next = wire.withHistory(request, [...wire.history(request), ...followUp]);
            expect(wire.validateRequest(next)).toStrictEqual([]);
            const carriers = wire.readResults(followUp);
            if (batch.warnings?.some((warning) => warning.code === "multi-tool-use-expanded")) {
              return;
            }
            expect(carriers).toHaveLength(batch.calls.length);
            for (const [i, carrier] of carriers.entries()) {
              const call = batch.calls[i];
              if (call && !call.idSynthesized) expect(carrier.callId).toBe(call.id);
              const result = results[i] as ToolResult;
              if (!result.ok) expect(carrier.text).toContain(result.error.message);
            }
          },
        ),
        { numRuns: Number(process.env.RESUME_FOLLOW_UP_RUNS ?? 100) },
      );
    }, 60_000);
  },
);
