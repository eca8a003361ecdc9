import fc from "fast-check";
import { expect, it } from "vitest";
import {
  type ApprovalDecision,
  BatchConflictError,
  type BatchOutcome,
  type BatchStore,
  createMemoryBatchStore,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  type LockKeys,
  resumeBatch,
  runBatch,
  type ToolResult,
} from "../../src/index.js";
import { batchOf } from "../support.js";

// Issue 16: random batches x random crash points. A crash is a store that stops saving after its
// k-th save (every later save throws, as if the process had died there); the batch is then
// resumed from what the store holds, with a fresh tool set, until it completes. Counted inside
// the tools: a call of a tool that is not idempotent runs at most once, an idempotent one at
// least once, a denied one never; every call ends with exactly one result, in call order. At
// random, two resumers continue the same checkpoint at once: they never both run a call (the
// counts say so), and one of them gets BatchConflictError.

type Input = { key?: string; ticks: number };
const TOOLS = ["write", "read", "ask", "alone"] as const;
type ToolName = (typeof TOOLS)[number];
const IDEMPOTENT: Record<ToolName, boolean> = {
  write: false,
  read: true,
  ask: false,
  alone: false,
};

class Crash extends Error {}

function toolsCounting(runs: Map<string, number>) {
  const input = jsonSchema<Input>({ type: "object" });
  const execute = async ({ ticks }: Input, { call }: { call: { id: string } }) => {
    runs.set(call.id, (runs.get(call.id) ?? 0) + 1);
    // Interleaves the calls (and their saves) without timers.
    for (let tick = 0; tick < ticks; tick++) await Promise.resolve();
    return call.id;
  };
  const lock = ({ key }: Input): LockKeys => key;
  return [
    defineTool({ name: "write", description: "", input, execute, lock }),
    defineTool({ name: "read", description: "", input, execute, lock, idempotent: true }),
    defineTool({ name: "ask", description: "", input, execute, lock, needsApproval: true }),
    defineTool({ name: "alone", description: "", input, execute, parallel: false }),
  ];
}

/** The store as a process that dies after `saves` more saves sees it. */
function crashingAfter(store: BatchStore, saves: number | undefined): BatchStore {
  let left = saves ?? Infinity;
  return {
    load: (id) => store.load(id),
    async save(id, checkpoint, expected) {
      if (left <= 0) throw new Crash("the process died");
      left--;
      return store.save(id, checkpoint, expected);
    },
  };
}

const callArbitrary = fc.record({
  name: fc.constantFrom(...TOOLS),
  key: fc.option(fc.constantFrom("a", "b"), { nil: undefined }),
  ticks: fc.nat({ max: 3 }),
  approve: fc.boolean(),
  // Resumes that pass before the call is decided: until then it stays pending.
  undecidedFor: fc.nat({ max: 2 }),
});

it("each call exactly once across random crashes and resumes", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(callArbitrary, { minLength: 1, maxLength: 6 }),
      fc.array(fc.option(fc.nat({ max: 12 }), { nil: undefined }), { maxLength: 6 }),
      fc.array(fc.boolean(), { maxLength: 6 }),
      async (specs, crashPoints, concurrent) => {
        const batch = batchOf(
          specs.map((spec) => ({
            name: spec.name,
            input: { ticks: spec.ticks, ...(spec.key ? { key: spec.key } : {}) },
          })),
        );
        const approveOf = new Map(batch.calls.map((call, i) => [call.id, specs[i]?.approve]));
        const undecidedFor = new Map(
          batch.calls.map((call, i) => [call.id, specs[i]?.undecidedFor ?? 0]),
        );
        let resumes = 0;
        // Who was asked about which call, and whether a crash or a second resumer may have
        // asked again (a request made but never saved is made anew).
        const asked: string[] = [];
        let askedAgainMayBe = false;
        const onEvent = (event: ExecutionEvent) => {
          if (event.type === "approval-requested") asked.push(event.call.id);
        };
        const store = createMemoryBatchStore();
        const runs = new Map<string, number>();
        const decisionsFor = (outcome: {
          pending: readonly { callId: string; digest: string }[];
        }) =>
          outcome.pending
            .filter((request) => resumes > (undecidedFor.get(request.callId) ?? 0))
            .map(
              (request): ApprovalDecision =>
                approveOf.get(request.callId)
                  ? { callId: request.callId, digest: request.digest, approved: true }
                  : { callId: request.callId, digest: request.digest, approved: false },
            );
        let outcome: BatchOutcome | undefined;
        for (let attempt = 0; outcome?.status !== "complete"; attempt++) {
          expect(attempt, "the batch completes").toBeLessThan(40);
          const crashStore = crashingAfter(store, crashPoints[attempt]);
          const stored = await store.load("p");
          try {
            if (!stored) {
              outcome = await runBatch(batch, toolsCounting(runs), {
                batchId: "p",
                store: crashStore,
                onEvent,
              });
              continue;
            }
            resumes++;
            const decisions = decisionsFor(stored.checkpoint);
            const resume = () =>
              resumeBatch(stored.checkpoint, toolsCounting(runs), {
                store: crashStore,
                decisions,
                onEvent,
              });
            askedAgainMayBe ||= Boolean(concurrent[attempt]);
            if (!concurrent[attempt]) {
              outcome = await resume();
              continue;
            }
            const both = await Promise.allSettled([resume(), resume()]);
            expect(both.every((settled) => settled.status === "fulfilled")).toBe(false);
            for (const settled of both) {
              if (settled.status === "fulfilled") outcome = settled.value;
              else if (!(settled.reason instanceof Crash)) {
                expect(BatchConflictError.isInstance(settled.reason)).toBe(true);
              }
            }
          } catch (error) {
            if (!(error instanceof Crash)) throw error;
            askedAgainMayBe = true;
            outcome = undefined;
          }
        }
        const { results } = outcome;
        if (!askedAgainMayBe) {
          // An approval given to a call that waits behind an undecided one is kept: never asked twice.
          expect(asked).toStrictEqual([...new Set(asked)]);
        }
        expect(results.map((result) => result.callId)).toStrictEqual(
          batch.calls.map((call) => call.id),
        );
        batch.calls.forEach((call, index) => {
          const result = results[index] as ToolResult;
          const ran = runs.get(call.id) ?? 0;
          const name = call.name as ToolName;
          const code = result.ok ? "ok" : result.error.code;
          const what = `${call.id} (${name}) ran ${ran} times, answered ${code}`;
          if (IDEMPOTENT[name]) {
            expect(ran, what).toBeGreaterThanOrEqual(1);
            expect(code, what).toBe("ok");
          } else if (name === "ask" && !approveOf.get(call.id)) {
            expect(ran, what).toBe(0);
            expect(code, what).toBe("denied");
          } else {
            // ok: it ran once; outcome_unknown: its start was saved, so it ran, once.
            expect(ran, what).toBe(1);
            expect(["ok", "outcome_unknown"], what).toContain(code);
          }
        });
      },
    ),
    {
      numRuns: Number(process.env.RESUME_RUNS ?? 300),
      examples: [
        // Found by this property: two calls start at once, the save carrying both their
        // "started" entries succeeds and the next fails; the second call must run (its start is
        // stored), not be answered outcome_unknown unrun.
        [
          [
            { name: "write", key: undefined, ticks: 0, approve: false, undecidedFor: 0 },
            { name: "write", key: undefined, ticks: 0, approve: false, undecidedFor: 0 },
          ],
          [2],
          [],
        ],
      ],
    },
  );
}, 120_000);
