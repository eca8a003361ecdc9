import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ApprovalQuestion,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
} from "../src/index.js";
import {
  batchOf,
  codeOf,
  exoticValues,
  expectNoUnhandledRejections,
  runWholeOrStreamed,
  settleOnClock,
  sleepUnlessAborted,
  textOf,
  useVirtualClock,
} from "./support.js";

/**
 * Issue 16, in-process approvals kept fixed: random batches on a virtual clock where some calls
 * need approval (a flag, or a check that says yes, no, throws, rejects or takes its time) and
 * `approve` approves, denies (with or without a reason), throws, rejects, answers garbage, answers
 * late or never, under random lock keys, barriers, limits, time limits, aborts and streamed adds.
 * Whatever happens: the batch settles, every call is answered exactly once, a call that was not
 * approved never runs, an approved one runs unless the batch was aborted or it was held up, no two
 * calls that exclude each other overlap (measured inside the tools), and calls that depend on no
 * late decision finish before it comes, while those that do wait for it.
 */

type Check = "none" | "flag" | "says-yes" | "says-no" | "slow-yes" | "throws" | "rejects";
type Answer =
  | "approve"
  | "approve-later"
  | "deny"
  | "deny-reason"
  | "throw"
  | "reject"
  | "garbage"
  | "late" // approves at LATE, after every other call could have finished
  | "late-deny" // denies at LATE
  | "never"; // never answers: only generated with an abort, or the batch would stay pending
type Work = "quick" | "sleeps" | "honours";

interface CallPlan {
  barrier: boolean;
  keys: string[];
  check: Check;
  answer: Answer;
  work: Work;
  delay: number;
  answerDelay: number;
  garbage: number;
}

/** When late decisions come: past anything else the batch could do (8 calls × (60 + 40 + 30)). */
const LATE = 2000;
const REASON = "the user said no";

const garbage = (): unknown[] => [
  undefined,
  null,
  42,
  "yes",
  {},
  { approved: "true" },
  { approved: false, reason: 42 },
  exoticValues()["a revoked Proxy"],
];

const callPlan: fc.Arbitrary<CallPlan> = fc.record({
  barrier: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  keys: fc.subarray(["a", "b"]),
  check: fc.constantFrom<Check>(
    "none",
    "none",
    "flag",
    "flag",
    "says-yes",
    "says-no",
    "slow-yes",
    "throws",
    "rejects",
  ),
  answer: fc.constantFrom<Answer>(
    "approve",
    "approve-later",
    "approve-later",
    "deny",
    "deny-reason",
    "throw",
    "reject",
    "garbage",
    "late",
    "late-deny",
    "never",
  ),
  work: fc.constantFrom<Work>("quick", "sleeps", "sleeps", "honours"),
  delay: fc.integer({ min: 0, max: 30 }),
  answerDelay: fc.integer({ min: 0, max: 60 }),
  garbage: fc.nat(garbage().length - 1),
});

const scenario = fc
  .record({
    calls: fc.array(callPlan, { maxLength: 8 }),
    parallel: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
    concurrency: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    abortAt: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    streamedAt: fc.option(
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 8, maxLength: 8 }),
      { nil: undefined },
    ),
  })
  // An approve that never answers keeps its call, and so the batch, pending: only with an abort.
  .map((drawn) =>
    drawn.abortAt !== undefined
      ? drawn
      : {
          ...drawn,
          calls: drawn.calls.map((plan) =>
            plan.answer === "never" ? { ...plan, answer: "late" as const } : plan,
          ),
        },
  );

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const clock = () => performance.timeOrigin + performance.now();

/** Whether `approve` is asked about a call of this plan (its check says yes). */
const asks = (plan: CallPlan) =>
  plan.check === "flag" || plan.check === "says-yes" || plan.check === "slow-yes";
/** Whether a call of this plan may run (no check, a check that says no, or approved). */
const mayRun = (plan: CallPlan) =>
  plan.check === "none" ||
  plan.check === "says-no" ||
  (asks(plan) && ["approve", "approve-later", "late"].includes(plan.answer));
/** Whether its decision comes at LATE or never. */
const decidedLate = (plan: CallPlan) =>
  asks(plan) && ["late", "late-deny", "never"].includes(plan.answer);

/** The tools of a scenario, what they saw from inside, and the approve handler. */
function makeTools(plans: readonly CallPlan[], parallel: boolean) {
  const inside = new Set<number>();
  const overlaps: string[] = [];
  const runs = plans.map(() => 0);
  const asked = plans.map(() => 0);
  const excludes = (i: number, j: number) => {
    const [a, b] = [plans[i] as CallPlan, plans[j] as CallPlan];
    return !parallel || a.barrier || b.barrier || a.keys.some((key) => b.keys.includes(key));
  };
  const execute = async ({ i }: { i: number }, { signal }: { signal: AbortSignal }) => {
    const plan = plans[i] as CallPlan;
    runs[i] = (runs[i] as number) + 1;
    for (const other of inside) if (excludes(i, other)) overlaps.push(`${i} beside ${other}`);
    inside.add(i);
    try {
      if (plan.work === "sleeps") await sleep(plan.delay);
      if (plan.work === "honours") {
        await sleepUnlessAborted(plan.delay, signal);
      }
      return i;
    } finally {
      inside.delete(i);
    }
  };
  const needsApproval = ({ i }: { i: number }) => {
    const plan = plans[i] as CallPlan;
    switch (plan.check) {
      case "says-no":
        return false;
      case "slow-yes":
        return sleep(plan.delay).then(() => true);
      case "throws":
        throw new Error("the check broke");
      case "rejects":
        return sleep(plan.delay).then(() => Promise.reject(new Error("the check broke later")));
      default:
        return true;
    }
  };
  const approve = (question: ApprovalQuestion): unknown => {
    const i = (question.input as { i: number }).i;
    asked[i] = (asked[i] as number) + 1;
    const plan = plans[i] as CallPlan;
    const later = (value: unknown, ms = plan.answerDelay) => sleep(ms).then(() => value);
    switch (plan.answer) {
      case "approve":
        return { approved: true };
      case "approve-later":
        return later({ approved: true });
      case "deny":
        return later({ approved: false });
      case "deny-reason":
        return later({ approved: false, reason: REASON });
      case "throw":
        throw new Error("the approver broke");
      case "reject":
        return later(undefined).then(() => Promise.reject(new Error("the approver broke later")));
      case "garbage":
        return later(garbage()[plan.garbage]);
      case "late":
        return later({ approved: true }, LATE);
      case "late-deny":
        return later({ approved: false, reason: REASON }, LATE);
      default:
        return new Promise(() => {});
    }
  };
  const input = jsonSchema<{ i: number }>({ type: "object" });
  const lock = ({ i }: { i: number }) => (plans[i] as CallPlan).keys;
  const tools = [false, true].flatMap((alone) => {
    const base = { description: "", input, execute, lock, parallel: !alone };
    const prefix = alone ? "alone" : "work";
    return [
      defineTool({ ...base, name: `${prefix}_free` }),
      defineTool({ ...base, name: `${prefix}_flag`, needsApproval: true }),
      defineTool({ ...base, name: `${prefix}_checked`, needsApproval }),
    ];
  });
  const toolOf = (plan: CallPlan) =>
    `${plan.barrier ? "alone" : "work"}_${plan.check === "none" ? "free" : plan.check === "flag" ? "flag" : "checked"}`;
  return { tools, toolOf, overlaps, runs, asked, excludes, approve: approve as never };
}

describe("approvals in one process (property-based)", () => {
  expectNoUnhandledRejections();
  useVirtualClock();

  it("every call is answered once; only approved calls run; nothing waits for a decision it does not depend on", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ calls, parallel, concurrency, timeoutMs, abortAt, streamedAt }) => {
          const { tools, toolOf, overlaps, runs, asked, excludes, approve } = makeTools(
            calls,
            parallel,
          );
          const batch = batchOf(calls.map((plan, i) => ({ name: toolOf(plan), input: { i } })));
          const controller = new AbortController();
          const startedAt = clock();
          let abortedAt = Number.POSITIVE_INFINITY;
          if (abortAt !== undefined) {
            setTimeout(() => {
              abortedAt = clock();
              controller.abort(new Error("stop"));
            }, abortAt);
          }
          const events: ExecutionEvent[] = [];
          const startedAfterAbort: number[] = [];
          const options = {
            parallel,
            concurrency,
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
            signal: controller.signal,
            onEvent: (event: ExecutionEvent) => {
              events.push(event);
              if (event.type === "call-start" && controller.signal.aborted) {
                startedAfterAbort.push(event.call.index);
              }
            },
            approve,
          };
          const pending = runWholeOrStreamed(batch, tools, options, streamedAt);
          // It settles, even when approve never answers (those come with an abort); late
          // decisions and tools still running after it settled come in too.
          const results = await settleOnClock(pending);

          expect(overlaps).toStrictEqual([]);
          // Nothing starts once the batch was aborted, whatever decision comes later.
          expect(startedAfterAbort).toStrictEqual([]);
          // Exactly one result per call, in call order; one call-end each; one batch-end.
          expect(results.map((r) => r.callId)).toStrictEqual(batch.calls.map((c) => c.id));
          const ofType = <T extends ExecutionEvent["type"]>(type: T) =>
            events.filter((e): e is Extract<ExecutionEvent, { type: T }> => e.type === type);
          const ends = ofType("call-end");
          const starts = ofType("call-start");
          const requested = ofType("approval-requested");
          const decided = ofType("approval-decided");
          expect(ends.map((e) => e.call.index).sort((a, b) => a - b)).toStrictEqual(
            calls.map((_, i) => i),
          );
          const batchEnds = ofType("batch-end");
          expect(batchEnds).toHaveLength(1);
          // Whether the abort came before the batch settled.
          const aborted = abortedAt <= (batchEnds[0]?.time as number);
          const endOf = (i: number) => ends.find((e) => e.call.index === i);
          const startOf = (i: number) => starts.find((e) => e.call.index === i);

          // Which calls wait, directly or through the batch's order, for a late decision. A call
          // leaves the line when it is answered, which may be early for one that does not run
          // (its check failed, it was denied early, it was held up by a call past its limit): a
          // call passes a wait on only when it was answered no earlier than the late decision.
          const late = startedAt + LATE;
          const waitsLate: boolean[] = [];
          calls.forEach((plan, i) => {
            waitsLate[i] =
              decidedLate(plan) ||
              calls.some(
                (_, k) =>
                  k < i &&
                  excludes(k, i) &&
                  waitsLate[k] === true &&
                  (endOf(k)?.time as number) >= late,
              );
          });

          results.forEach((result, i) => {
            const plan = calls[i] as CallPlan;
            const code = codeOf(result);
            const start = startOf(i);
            const text = textOf(result);
            // Asked at most once, and only when its check said yes; at most one event each.
            expect(asked[i]).toBeLessThanOrEqual(asks(plan) ? 1 : 0);
            expect(requested.filter((e) => e.call.index === i).length).toBe(asked[i]);
            expect(decided.filter((e) => e.call.index === i).length).toBeLessThanOrEqual(1);
            // A tool runs at most once, and only when it may; it started iff it ran.
            expect(runs[i]).toBeLessThanOrEqual(mayRun(plan) ? 1 : 0);
            expect(runs[i]).toBe(start ? 1 : 0);
            if (start && timeoutMs !== undefined) {
              // Its time limit counts from its start, never from when it waited for approval.
              expect((endOf(i)?.time as number) - start.time).toBeLessThanOrEqual(timeoutMs + 1e-6);
            }
            if (start && plan.work === "quick") expect(code).toBe("ok");
            if (!aborted) {
              // Without an abort: asked whenever its check says yes, and an approved call runs
              // unless a call past its time limit held it up.
              expect(asked[i]).toBe(asks(plan) ? 1 : 0);
              if (mayRun(plan) && runs[i] === 0) {
                expect(code).toBe("not_executed");
                expect(text).toMatch(/call "call_\d+"/);
              }
            }
            if (!mayRun(plan)) {
              const failures = {
                denied: /^Tool "\w+" was not run: running this call was denied\./,
                handler: /^Tool "\w+" failed before it ran: the approve handler /,
                check: /^Tool "\w+" failed before it ran: its approval check \(needsApproval\) /,
              };
              const expected =
                plan.check === "throws" || plan.check === "rejects"
                  ? failures.check
                  : ["deny", "deny-reason", "late-deny"].includes(plan.answer)
                    ? failures.denied
                    : plan.answer === "never"
                      ? undefined
                      : failures.handler;
              if (code !== "not_executed" || !aborted) {
                expect(text).toMatch(expected as RegExp);
                expect(code).toBe(expected === failures.denied ? "denied" : "execution_failed");
              }
              if (code === "denied") {
                expect(text).toMatch(/Do not call it again unless the user asks you to\.$/);
                expect(text.includes(REASON)).toBe(plan.answer !== "deny");
              }
            }
            if (!waitsLate[i]) {
              // Depends on no late decision: answered well before one comes.
              expect(endOf(i)?.time as number).toBeLessThan(late);
            } else if (start) {
              // Keeps its place in batch order: it started only once the late decision came.
              expect(start.time).toBeGreaterThanOrEqual(late);
            }
          });
        },
      ),
      { numRuns: Number(process.env.APPROVAL_RUNS ?? 4000) },
    );
  }, 120_000);
});
