import { anthropic } from "@toolbatch/anthropic";
import {
  anthropicWire,
  geminiWire,
  loadRecordings,
  openaiChatWire,
  type Recording,
  type WireProfile,
} from "@toolbatch/contract";
import {
  type AnyTool,
  defineTool,
  executeBatch,
  jsonSchema,
  type ProviderAdapter,
  renderOutputText,
  type ToolCallBatch,
} from "@toolbatch/core";
import { googleGenAI } from "@toolbatch/google";
import { openaiChat } from "@toolbatch/openai";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// Issue 18: what the model reads is the application's to shape. For a vendor's recorded parallel
// batch, random tool outputs and failures, and random mappings (toModelOutput, errorText): the
// results keep each real output and the executor's own error text, and the adapter's follow-up
// carries the mapped ones, read back as the model reads them (the contract kit's readResults).

type AnyAdapter = ProviderAdapter<unknown, unknown, unknown, unknown>;
type AnyWire = WireProfile<unknown, unknown, unknown, unknown>;
interface Vendor {
  readonly name: string;
  readonly wire: AnyWire;
  readonly adapter: () => AnyAdapter;
}

const VENDORS = [
  { name: "openai-chat", wire: openaiChatWire, adapter: openaiChat },
  { name: "anthropic", wire: anthropicWire, adapter: anthropic },
  { name: "google-genai", wire: geminiWire, adapter: googleGenAI },
] as unknown as readonly Vendor[];

/** The vendor's recorded complete turns of more than one call. */
function recordedBatches(vendor: Vendor): ToolCallBatch[] {
  return loadRecordings(vendor.wire.vendor).flatMap((recording: Recording) => {
    if (recording.kind !== "json") return [];
    const batch = vendor.adapter().toBatch(vendor.wire.response(recording));
    return batch.calls.length > 1 && batch.complete ? [batch] : [];
  });
}

/** JSON an output or a mapping may be: never empty, as Anthropic leaves out empty content. */
const json = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
  fc.array(fc.integer(), { minLength: 1 }),
);
/** What one call does and what the model is to read of it. */
const callPlan = fc.oneof(
  fc.record({ ok: fc.constant(true as const), output: json, shown: json }),
  fc.record({
    ok: fc.constant(false as const),
    thrown: fc.string({ minLength: 1 }),
    shown: fc.string({ minLength: 1 }),
  }),
);
type CallPlan = typeof callPlan extends fc.Arbitrary<infer T> ? T : never;

/** One tool per name the batch calls; each call does what its plan (by call index) says. */
function toolsFor(batch: ToolCallBatch, plans: readonly CallPlan[]): AnyTool[] {
  const names = [...new Set(batch.calls.map((call) => call.name))];
  return names.map((name) =>
    defineTool({
      name,
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: (_input, { call }) => {
        const plan = plans[call.index] as CallPlan;
        if (!plan.ok) throw new Error(plan.thrown);
        return plan.output;
      },
      toModelOutput: (_output, { call }) => plans[call.index]?.shown,
    }),
  );
}

/**
 * Runs a recorded batch with `plans` and checks the results and the follow-up: each success keeps
 * its real output and the model reads the mapping; each failure keeps the executor's text in
 * `unmappedMessage` and the model reads the mapped one.
 */
async function checkFollowUp(vendor: Vendor, batch: ToolCallBatch, plans: readonly CallPlan[]) {
  const results = await executeBatch(batch, toolsFor(batch, plans), {
    errorText: (_result, { call }) => String(plans[call.index]?.shown),
  });
  const carriers = vendor.wire.readResults(vendor.adapter().toFollowUp(batch, results));
  expect(carriers).toHaveLength(batch.calls.length);
  results.forEach((result, index) => {
    const plan = plans[index] as CallPlan;
    const read = carriers[index]?.text;
    if (result.ok) {
      expect(plan.ok && result.output).toStrictEqual(plan.ok && plan.output);
      expect(read).toBe(renderOutputText(plan.shown));
      return;
    }
    // A call whose arguments did not parse never ran; its text is mapped all the same.
    if (!plan.ok && result.error.code === "execution_failed") {
      expect(result.error.unmappedMessage).toContain(plan.thrown);
    }
    const shown = String(plan.shown);
    expect(result.error.message).toBe(shown);
    expect([shown, `Error (${result.error.code}): ${shown}`]).toContain(read);
  });
}

describe.each(VENDORS)("$name: the follow-up carries what the application maps", (vendor) => {
  const batches = recordedBatches(vendor);
  const plansOf = (plan: fc.Arbitrary<CallPlan>) => fc.array(plan, { minLength: 8, maxLength: 8 });

  it("has recorded parallel batches to run", () => {
    expect(batches.length).toBeGreaterThan(0);
  });

  it("failures: results keep the executor's text, the follow-up carries errorText's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...batches),
        plansOf(callPlan.filter((plan) => !plan.ok)),
        (batch, plans) => checkFollowUp(vendor, batch, plans),
      ),
      { numRuns: 40 },
    );
  });

  it("outputs and failures: results keep the real ones, the follow-up carries the mapped ones", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...batches), plansOf(callPlan), (batch, plans) =>
        checkFollowUp(vendor, batch, plans),
      ),
      { numRuns: 60 },
    );
  });
});
