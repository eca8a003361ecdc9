import { describe, expect, it, vi } from "vitest";
import {
  ApprovalMismatchError,
  type BatchCheckpoint,
  BatchConflictError,
  type BatchStore,
  createApprovalSigner,
  createMemoryBatchStore,
  defineTool,
  InvalidOptionError,
  jsonSchema,
  type LockKeys,
  resumeBatch,
  runBatch,
  type ToolResult,
} from "../../src/index.js";
import { batchOf, deferred, flush } from "../support.js";

// Issue 16: runBatch suspends for approvals and resumeBatch continues, in any process; the
// ledger saves each call's "started" before its tool runs, so a call never runs twice unseen.

type Input = { n: number; key?: string };

const code = (result: ToolResult | undefined) =>
  result === undefined ? "missing" : result.ok ? "ok" : result.error.code;

/** Tools that count, inside `execute`, how often each call ran. */
function harness(options: { idempotent?: boolean; onRun?: (callId: string) => void } = {}) {
  const runs = new Map<string, number>();
  const input = jsonSchema<Input>({ type: "object" });
  const execute = ({ n }: Input, { call }: { call: { id: string } }) => {
    runs.set(call.id, (runs.get(call.id) ?? 0) + 1);
    options.onRun?.(call.id);
    return n;
  };
  const lock = ({ key }: Input): LockKeys => key;
  const idempotent = options.idempotent ?? false;
  const tools = [
    defineTool({ name: "free", description: "", input, execute, lock, idempotent }),
    defineTool({ name: "gated", description: "", input, execute, lock, needsApproval: true }),
  ];
  return { runs, tools, ran: () => [...runs.keys()].sort() };
}

const batch = batchOf([
  { name: "free", input: { n: 0 } },
  { name: "gated", input: { n: 1, key: "k" } },
  { name: "free", input: { n: 2, key: "k" } },
  { name: "free", input: { n: 3 } },
]);

describe("runBatch", () => {
  it("runs everything and completes with results in call order when nothing waits", async () => {
    const { tools, ran } = harness();
    const free = batchOf([1, 2, 3].map((n) => ({ name: "free", input: { n } })));
    const outcome = await runBatch(free, tools, { batchId: "b1" });
    expect(outcome.status).toBe("complete");
    if (outcome.status !== "complete") return;
    expect(outcome.results.map((result) => (result.ok ? result.output : null))).toStrictEqual([
      1, 2, 3,
    ]);
    expect(outcome.checkpoint.batchId).toBe("b1");
    expect(Object.keys(outcome.checkpoint.ledger).sort()).toStrictEqual(ran());
  });

  it("suspends on a call that needs approval, after running what does not wait for it", async () => {
    const { tools, ran } = harness();
    const outcome = await runBatch(batch, tools, { batchId: "b2" });
    expect(outcome.status).toBe("suspended");
    if (outcome.status !== "suspended") return;
    // call_2 shares call_1's lock key: it waits for call_1's decision, as in the process.
    expect(ran()).toStrictEqual(["call_0", "call_3"]);
    expect(outcome.pending).toHaveLength(1);
    expect(outcome.pending[0]).toMatchObject({
      callId: "call_1",
      toolName: "gated",
      input: { n: 1, key: "k" },
      batchId: "b2",
    });
    expect(Object.keys(outcome.checkpoint.results).sort()).toStrictEqual(["call_0", "call_3"]);
  });

  it("tells onEvent of each approval it suspends for", async () => {
    const requested: string[] = [];
    await runBatch(batch, harness().tools, {
      onEvent: (event) => {
        if (event.type === "approval-requested") requested.push(event.call.id);
        throw new Error("a listener's failure is swallowed");
      },
    });
    expect(requested).toStrictEqual(["call_1"]);
  });

  it("saves a call's started entry before its tool runs, and its outcome after", async () => {
    const store = createMemoryBatchStore();
    const seen: string[] = [];
    const { tools } = harness({
      onRun: (callId) => {
        // Synchronously inside execute: what the store holds now was saved before it ran.
        void store.load("b3").then((stored) => {
          seen.push(`${callId}:${stored?.checkpoint.ledger[callId]?.state}`);
        });
      },
    });
    const outcome = await runBatch(batchOf([{ name: "free", input: { n: 1 } }]), tools, {
      batchId: "b3",
      store,
    });
    expect(seen).toStrictEqual(["call_0:started"]);
    const stored = await store.load("b3");
    expect(stored?.checkpoint).toStrictEqual(outcome.checkpoint);
    expect(stored?.checkpoint.ledger.call_0?.state).toBe("settled");
  });

  it("decides in the process with approve, and never suspends", async () => {
    const { tools, ran } = harness();
    const outcome = await runBatch(batch, tools, { approve: () => ({ approved: true }) });
    expect(outcome.status).toBe("complete");
    expect(ran()).toStrictEqual(["call_0", "call_1", "call_2", "call_3"]);
  });

  it("refuses a batch id the store already holds, running nothing", async () => {
    const store = createMemoryBatchStore();
    const { tools, ran } = harness();
    await runBatch(batchOf([{ name: "free" }]), tools, { batchId: "taken", store });
    const second = harness();
    await expect(
      runBatch(batchOf([{ name: "free" }]), second.tools, { batchId: "taken", store }),
    ).rejects.toSatisfy(BatchConflictError.isInstance);
    expect(second.ran()).toStrictEqual([]);
    expect(ran()).toStrictEqual(["call_0"]);
  });

  it("stops starting calls once a save conflicts, and rejects with BatchConflictError", async () => {
    const inner = createMemoryBatchStore();
    let saves = 0;
    const store: BatchStore = {
      load: (id) => inner.load(id),
      async save(id, checkpoint, expected) {
        saves++;
        // Another process saves the batch between our first and second save.
        if (saves === 2) await inner.save(id, checkpoint, expected);
        return inner.save(id, checkpoint, expected);
      },
    };
    const { tools, ran } = harness();
    const serial = batchOf([1, 2, 3].map((n) => ({ name: "free", input: { n } })));
    await expect(
      runBatch(serial, tools, { batchId: "b4", store, parallel: false }),
    ).rejects.toSatisfy(BatchConflictError.isInstance);
    expect(ran()).toStrictEqual([]);
  });
});

async function suspended(store?: BatchStore) {
  const first = harness();
  const outcome = await runBatch(batch, first.tools, { batchId: "r", ...(store ? { store } : {}) });
  if (outcome.status !== "suspended") throw new Error("expected a suspended batch");
  return outcome;
}

describe("runBatch edges", () => {
  it("checks its options before it claims the batch id", async () => {
    const store = createMemoryBatchStore();
    const { tools, ran } = harness();
    await expect(runBatch(batch, tools, { store, batchId: "o", concurrency: 0 })).rejects.toSatisfy(
      InvalidOptionError.isInstance,
    );
    expect(await store.load("o")).toBeUndefined();
    expect(ran()).toStrictEqual([]);
  });

  it("answers a cut-off turn not_executed, running nothing", async () => {
    const { tools, ran } = harness();
    const outcome = await runBatch({ ...batch, complete: false }, tools);
    if (outcome.status !== "complete") throw new Error("expected complete");
    expect(outcome.results.map(code)).toStrictEqual(Array(4).fill("not_executed"));
    expect(ran()).toStrictEqual([]);
  });

  it("records an abandoned call's outcome in the ledger when its tool really ends", async () => {
    vi.useFakeTimers();
    try {
      const store = createMemoryBatchStore();
      const late = deferred<string>();
      const slow = defineTool({
        name: "slow",
        description: "",
        input: jsonSchema({ type: "object" }),
        execute: () => late.promise,
      });
      const running = runBatch(batchOf([{ name: "slow" }]), [slow], {
        batchId: "late",
        store,
        timeoutMs: 1_000,
      });
      await flush();
      await vi.advanceTimersByTimeAsync(1_000);
      const outcome = await running;
      if (outcome.status !== "complete") throw new Error("expected complete");
      expect(outcome.results.map(code)).toStrictEqual(["timeout"]);
      expect((await store.load("late"))?.checkpoint.ledger.call_0?.state).toBe("started");
      late.resolve("done at last");
      await flush();
      const entry = (await store.load("late"))?.checkpoint.ledger.call_0;
      expect(entry?.state === "settled" && entry.result).toStrictEqual({
        callId: "call_0",
        name: "slow",
        ok: true,
        output: "done at last",
      });
      // The call's answer stays the one the model got.
      expect((await store.load("late"))?.checkpoint.results.call_0?.ok).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("signs pending requests with a signer, and then accepts only signed decisions", async () => {
    const signer = createApprovalSigner("k".repeat(32));
    const first = await runBatch(batch, harness().tools, { signer });
    if (first.status !== "suspended") throw new Error("expected suspended");
    const request = first.pending[0] as (typeof first.pending)[number];
    expect(request.signature).toEqual(expect.any(String));
    const decision = await signer.signDecision(request, {
      callId: request.callId,
      digest: request.digest,
      approved: true,
    });
    const { tools, ran } = harness();
    const outcome = await resumeBatch(first.checkpoint, tools, { signer, decisions: [decision] });
    expect(outcome.status).toBe("complete");
    expect(ran()).toStrictEqual(["call_1", "call_2"]);
  });
});

describe("resumeBatch", () => {
  it("runs an approved call and those that waited for it, never again the ones that ran", async () => {
    const { checkpoint, pending } = await suspended();
    const request = pending[0] as (typeof pending)[number];
    const { tools, ran } = harness();
    const outcome = await resumeBatch(checkpoint, tools, {
      decisions: [{ callId: request.callId, digest: request.digest, approved: true }],
    });
    expect(outcome.status).toBe("complete");
    if (outcome.status !== "complete") return;
    expect(ran()).toStrictEqual(["call_1", "call_2"]);
    expect(outcome.results.map((result) => result.callId)).toStrictEqual([
      "call_0",
      "call_1",
      "call_2",
      "call_3",
    ]);
    expect(outcome.results.map(code)).toStrictEqual(["ok", "ok", "ok", "ok"]);
  });

  it("answers a denied call denied, unrun, with the reason", async () => {
    const { checkpoint, pending } = await suspended();
    const request = pending[0] as (typeof pending)[number];
    const { tools, ran } = harness();
    const outcome = await resumeBatch(checkpoint, tools, {
      decisions: [{ callId: "call_1", digest: request.digest, approved: false, reason: "no" }],
    });
    if (outcome.status !== "complete") throw new Error("expected complete");
    expect(ran()).toStrictEqual(["call_2"]);
    expect(outcome.results.map(code)).toStrictEqual(["ok", "denied", "ok", "ok"]);
    expect(outcome.results[1]?.ok === false && outcome.results[1].error.message).toContain('"no"');
  });

  it("keeps an undecided call pending, and the calls that wait for it", async () => {
    const { checkpoint } = await suspended();
    const { tools, ran } = harness();
    const outcome = await resumeBatch(checkpoint, tools, {});
    expect(outcome.status).toBe("suspended");
    expect(ran()).toStrictEqual([]);
    expect(outcome.checkpoint).toStrictEqual(checkpoint);
  });

  it("refuses, before anything runs, a decision not for a pending call, for changed input, replayed or forged", async () => {
    const store = createMemoryBatchStore();
    const { checkpoint, pending } = await suspended(store);
    const before = await store.load("r");
    const request = pending[0] as (typeof pending)[number];
    const ok = { callId: "call_1", digest: request.digest, approved: true };
    const changed: BatchCheckpoint = {
      ...checkpoint,
      pending: [{ ...request, input: { n: 99, key: "k" } }],
    };
    const signer = createApprovalSigner("s".repeat(32));
    const cases: Array<[string, unknown, unknown[], object]> = [
      ["call", checkpoint, [{ ...ok, callId: "call_0" }], {}],
      ["digest", checkpoint, [{ ...ok, digest: "x" }], {}],
      ["digest", changed, [ok], {}],
      ["replayed", checkpoint, [ok, ok], {}],
      ["signature", checkpoint, [ok], { signer }],
      ["malformed", checkpoint, [null], {}],
    ];
    for (const [reason, from, decisions, extra] of cases) {
      const { tools, ran } = harness();
      // The changed checkpoint is given alone: a store's newest would win over it.
      const where = from === changed ? {} : { store };
      const error = await resumeBatch(from, tools, { decisions, ...where, ...extra }).catch(
        (e: unknown) => e,
      );
      expect(ApprovalMismatchError.isInstance(error), reason).toBe(true);
      expect((error as ApprovalMismatchError).reason).toBe(reason);
      expect(ran()).toStrictEqual([]);
    }
    // Nothing was saved either.
    expect(await store.load("r")).toStrictEqual(before);
  });

  it("takes the store's newest checkpoint over a stale one passed in", async () => {
    const store = createMemoryBatchStore();
    const { checkpoint, pending } = await suspended(store);
    const request = pending[0] as (typeof pending)[number];
    const decision = { callId: "call_1", digest: request.digest, approved: false };
    await resumeBatch(checkpoint, harness().tools, { store, decisions: [decision] });
    const { tools, ran } = harness();
    // The stale checkpoint still has call_1 pending; the store says it was decided.
    const again = await resumeBatch(checkpoint, tools, { store });
    expect(again.status).toBe("complete");
    expect(ran()).toStrictEqual([]);
    await expect(
      resumeBatch(checkpoint, tools, { store, decisions: [decision] }),
    ).rejects.toSatisfy(
      (error: unknown) => ApprovalMismatchError.isInstance(error) && error.reason === "call",
    );
  });

  const crashed = (): BatchCheckpoint => ({
    schemaVersion: 1,
    batchId: "c",
    batch: batchOf([
      { name: "free", input: { n: 0 } },
      { name: "free", input: { n: 1 } },
      { name: "free", input: { n: 2 } },
      { name: "gone", input: { n: 3 } },
    ]),
    results: { call_0: { callId: "call_0", name: "free", ok: true, output: 0 } },
    pending: [],
    ledger: {
      call_0: {
        state: "settled",
        startedAt: 1,
        settledAt: 2,
        result: { callId: "call_0", name: "free", ok: true, output: 0 },
      },
      call_1: { state: "started", startedAt: 3 },
    },
  });

  it("answers a call that started without a result outcome_unknown, never running it again", async () => {
    const { tools, ran } = harness();
    const outcome = await resumeBatch(crashed(), tools);
    if (outcome.status !== "complete") throw new Error("expected complete");
    expect(ran()).toStrictEqual(["call_2"]);
    expect(outcome.results.map(code)).toStrictEqual([
      "ok",
      "outcome_unknown",
      "ok",
      "unknown_tool",
    ]);
    const unknown = outcome.results[1];
    expect(unknown?.ok === false && unknown.error.message).toMatch(
      /may or may not have taken effect/,
    );
    expect(unknown?.ok === false && unknown.error.message).toMatch(/Check before calling it again/);
  });

  it("runs again a call of an idempotent tool that started without a result", async () => {
    const { tools, ran } = harness({ idempotent: true });
    const outcome = await resumeBatch(crashed(), tools);
    if (outcome.status !== "complete") throw new Error("expected complete");
    expect(ran()).toStrictEqual(["call_1", "call_2"]);
    expect(outcome.results.map(code)).toStrictEqual(["ok", "ok", "ok", "unknown_tool"]);
  });

  it("of two resumers of one checkpoint, one runs the calls and the other gets BatchConflictError", async () => {
    const store = createMemoryBatchStore();
    const { checkpoint, pending } = await suspended(store);
    const request = pending[0] as (typeof pending)[number];
    const decision = { callId: "call_1", digest: request.digest, approved: true };
    const a = harness();
    const b = harness();
    const outcomes = await Promise.allSettled([
      resumeBatch(checkpoint, a.tools, { store, decisions: [decision] }),
      resumeBatch(checkpoint, b.tools, { store, decisions: [decision] }),
    ]);
    const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(BatchConflictError.isInstance((rejected[0] as PromiseRejectedResult).reason)).toBe(true);
    const together = [...a.ran(), ...b.ran()].sort();
    expect(together).toStrictEqual(["call_1", "call_2"]);
  });
});

describe("resumeBatch with a store holding another batch under the id", () => {
  it("refuses, naming checkpoint.batchId, before anything runs or is saved", async () => {
    const store = createMemoryBatchStore();
    const first = harness();
    const kept = await runBatch(batch, first.tools, { batchId: "reused", store });
    expect(kept.status).toBe("suspended");
    // Another turn opened under the same id (a batchId reused for another step), not yet run.
    const other = batchOf([{ name: "free", input: { n: 9 } }]);
    const opened = { ...kept.checkpoint, batch: other, results: {}, pending: [], ledger: {} };
    const { tools, ran } = harness();
    const resumed = resumeBatch(opened, tools, { store });
    await expect(resumed).rejects.toMatchObject({
      name: "InvalidCheckpointError",
      path: "checkpoint.batchId",
    });
    expect(ran()).toStrictEqual([]);
    expect((await store.load("reused"))?.checkpoint).toStrictEqual(kept.checkpoint);
  });
});
