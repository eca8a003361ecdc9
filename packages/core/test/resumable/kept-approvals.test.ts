import { describe, expect, it } from "vitest";
import {
  ApprovalMismatchError,
  type ApprovalRequest,
  type BatchCheckpoint,
  type BatchOutcome,
  createApprovalSigner,
  defineTool,
  type ExecutionEvent,
  InvalidCheckpointError,
  jsonSchema,
  type LockKeys,
  resumeBatch,
  runBatch,
  type ToolResult,
} from "../../src/index.js";
import { batchOf } from "../support.js";

// Issue 16: an approval given to a call that cannot run yet (it waits behind a call still
// undecided) is kept in the checkpoint, so the call is never asked about again; the decisions a
// resume applies join the audit trail; a kept approval is bound to its call's input.

type Input = { n: number; key?: string };
// biome-ignore lint/suspicious/noExplicitAny: tampering reaches any field of untyped data.
type Data = any;

function harness() {
  const runs: string[] = [];
  const events: ExecutionEvent[] = [];
  const input = jsonSchema<Input>({ type: "object" });
  const execute = ({ n }: Input, { call }: { call: { id: string } }) => {
    runs.push(call.id);
    return n;
  };
  const lock = ({ key }: Input): LockKeys => key;
  const tools = [
    defineTool({ name: "gated", description: "", input, execute, lock, needsApproval: true }),
    defineTool({
      name: "gatedAlone",
      description: "",
      input,
      execute,
      needsApproval: true,
      parallel: false,
    }),
  ];
  return { runs, events, tools, onEvent: (event: ExecutionEvent) => events.push(event) };
}

const approve = (request: ApprovalRequest) => ({
  callId: request.callId,
  digest: request.digest,
  approved: true as const,
});

function suspended(outcome: BatchOutcome) {
  if (outcome.status !== "suspended") throw new Error(`expected suspended, got ${outcome.status}`);
  return outcome;
}

function requestFor(outcome: BatchOutcome, callId: string): ApprovalRequest {
  const request = suspended(outcome).pending.find((pending) => pending.callId === callId);
  if (!request) throw new Error(`no request pending for ${callId}`);
  return request;
}

/** Through JSON, as a store or another process has it. */
const copy = (checkpoint: BatchCheckpoint): Data => JSON.parse(JSON.stringify(checkpoint));

const cases = [
  {
    why: "a shared lock key",
    calls: [
      { name: "gated", input: { n: 0, key: "k" } },
      { name: "gated", input: { n: 1, key: "k" } },
    ],
    parallel: true,
  },
  {
    why: "a waiting parallel: false call",
    calls: [
      { name: "gatedAlone", input: { n: 0 } },
      { name: "gated", input: { n: 1 } },
    ],
    parallel: true,
  },
  {
    why: "parallel: false for the batch",
    calls: [
      { name: "gated", input: { n: 0 } },
      { name: "gated", input: { n: 1 } },
    ],
    parallel: false,
  },
];

describe("an approved call that cannot run yet", () => {
  it.each(cases)("is never asked about again when it waits behind $why", async (setup) => {
    const { runs, events, tools, onEvent } = harness();
    const batch = batchOf(setup.calls);
    const options = { onEvent, parallel: setup.parallel };
    const first = await runBatch(batch, tools, { ...options, batchId: "b" });
    expect(suspended(first).pending.map((request) => request.callId)).toStrictEqual([
      "call_0",
      "call_1",
    ]);

    // call_1 approved, call_0 undecided: call_1 waits behind call_0 and keeps its approval.
    const second = suspended(
      await resumeBatch(copy(first.checkpoint), tools, {
        ...options,
        decisions: [approve(requestFor(first, "call_1"))],
      }),
    );
    expect(runs).toStrictEqual([]);
    expect(second.pending.map((request) => request.callId)).toStrictEqual(["call_0"]);
    expect(second.checkpoint.approved).toStrictEqual({
      call_1: { digest: requestFor(first, "call_1").digest, decidedAt: expect.any(Number) },
    });

    // call_0 approved: both run, call_1 with no decision of its own on this resume.
    const third = await resumeBatch(copy(second.checkpoint), tools, {
      ...options,
      decisions: [approve(requestFor(second, "call_0"))],
    });
    expect(third.status).toBe("complete");
    expect(runs).toStrictEqual(["call_0", "call_1"]);
    const asked = events.filter((event) => event.type === "approval-requested");
    expect(asked.map((event) => event.call.id)).toStrictEqual(["call_0", "call_1"]);
  });
});

describe("decisions applied by resumeBatch", () => {
  it("are told as approval-decided, with the time the call was first asked about", async () => {
    const { events, tools, onEvent } = harness();
    const batch = batchOf([
      { name: "gated", input: { n: 0 } },
      { name: "gated", input: { n: 1 } },
    ]);
    const first = await runBatch(batch, tools, { onEvent, batchId: "b" });
    const requested = events.map((event) => (event.type === "approval-requested" ? event : null));
    const askedAt = requested[0]?.time as number;
    expect(requestFor(first, "call_0").requestedAt).toBe(askedAt);
    events.length = 0;
    const deny = { ...approve(requestFor(first, "call_1")), approved: false, reason: "no" };
    const done = await resumeBatch(copy(first.checkpoint), tools, {
      onEvent,
      decisions: [approve(requestFor(first, "call_0")), deny],
    });
    expect(done.status).toBe("complete");
    const approvals = events.filter((event) => event.type.startsWith("approval-"));
    expect(approvals).toStrictEqual([
      expect.objectContaining({ type: "approval-decided", approved: true, requestTime: askedAt }),
      expect.objectContaining({ type: "approval-decided", approved: false, reason: "no" }),
    ]);
    const [decided] = approvals as Array<Extract<ExecutionEvent, { type: "approval-decided" }>>;
    expect(decided?.call.id).toBe("call_0");
    expect(decided?.durationMs).toBe((decided?.time ?? 0) - askedAt);
    // The approved call runs after its decision is told.
    const types = events.map((event) => `${event.type} ${"call" in event ? event.call.id : ""}`);
    expect(types.indexOf("approval-decided call_0")).toBeLessThan(
      types.indexOf("call-start call_0"),
    );
  });
});

describe("a kept approval is bound to its call", () => {
  async function keptApproval(signer?: ReturnType<typeof createApprovalSigner>) {
    const { runs, tools } = harness();
    const batch = batchOf(cases[0]?.calls ?? []);
    const first = await runBatch(batch, tools, { batchId: "b", ...(signer ? { signer } : {}) });
    const decision = approve(requestFor(first, "call_1"));
    const signed = signer
      ? await signer.signDecision(requestFor(first, "call_1"), decision)
      : decision;
    const second = suspended(
      await resumeBatch(copy(first.checkpoint), tools, {
        decisions: [signed],
        ...(signer ? { signer } : {}),
      }),
    );
    return { runs, tools, second, decision: requestFor(second, "call_0") };
  }

  // The approved call_1, or call_0 whose request (shown to whoever decides) still says n: 0.
  it.each([
    ["approved", 1, "checkpoint.approved.call_1.digest"],
    ["pending", 0, "checkpoint.pending[0].digest"],
  ] as const)(
    "refuses a checkpoint whose %s call's input changed since, running nothing",
    async (_which, index, path) => {
      const { runs, tools, second, decision } = await keptApproval();
      const tampered = copy(second.checkpoint);
      tampered.batch.calls[index].input = { n: 666, key: "k" };
      const refused = await resumeBatch(tampered, tools, { decisions: [approve(decision)] }).catch(
        (error: unknown) => error,
      );
      expect(InvalidCheckpointError.isInstance(refused), String(refused)).toBe(true);
      expect((refused as InvalidCheckpointError).path).toBe(path);
      expect(runs).toStrictEqual([]);
    },
  );

  it("with a signer, runs a kept approval it signed and refuses one added by hand", async () => {
    const signer = createApprovalSigner("a secret of at least thirty-two bytes!");
    const { runs, tools, second, decision } = await keptApproval(signer);
    expect(second.checkpoint.approved?.call_1?.signature).toMatch(/^[0-9a-f]{64}$/);
    const decide = async () => [await signer.signDecision(decision, approve(decision))];

    const forged = copy(second.checkpoint);
    forged.approved.call_1.signature = "0".repeat(64);
    const refused = await resumeBatch(forged, tools, { signer, decisions: await decide() }).catch(
      (error: unknown) => error,
    );
    expect(ApprovalMismatchError.isInstance(refused), String(refused)).toBe(true);
    expect((refused as ApprovalMismatchError).reason).toBe("signature");
    expect(runs).toStrictEqual([]);

    const done = await resumeBatch(copy(second.checkpoint), tools, {
      signer,
      decisions: await decide(),
    });
    expect(done.status).toBe("complete");
    expect(runs).toStrictEqual(["call_0", "call_1"]);
  });

  it("runs an approved call whose check now says it needs no approval, once", async () => {
    const { runs, second, decision } = await keptApproval();
    const input = jsonSchema<Input>({ type: "object" });
    const execute = ({ n }: Input, { call }: { call: { id: string } }) => {
      runs.push(call.id);
      return n;
    };
    const relaxed = [
      defineTool({ name: "gated", description: "", input, execute, needsApproval: false }),
    ];
    const done = await resumeBatch(copy(second.checkpoint), relaxed, {
      decisions: [approve(decision)],
    });
    expect(done.status === "complete" && done.results.map((r: ToolResult) => r.ok)).toStrictEqual([
      true,
      true,
    ]);
    expect(runs).toStrictEqual(["call_0", "call_1"]);
  });
});

describe("a call no decision approved", () => {
  it("never runs when its check says no approval when planned, then yes when it would run", async () => {
    const runs: string[] = [];
    let checks = 0;
    const flip = defineTool({
      name: "flip",
      description: "",
      input: jsonSchema<Input>({ type: "object" }),
      // No for the plan, yes for the executor's gate: a check that reads changing state.
      needsApproval: () => checks++ > 0,
      execute: (_input, { call }) => {
        runs.push(call.id);
        return "done";
      },
    });
    const outcome = await runBatch(batchOf([{ name: "flip", input: { n: 0 } }]), [flip]);
    expect(checks).toBe(2);
    expect(runs).toStrictEqual([]);
    const result = outcome.status === "complete" ? outcome.results[0] : undefined;
    expect(result?.ok === false && result.error.code).toBe("denied");
    expect(result?.ok === false && result.error.message).toContain("no one was asked");
  });
});

describe("a resume with tools changed since", () => {
  it("answers an approved call invalid_input, unrun, when the tool's schema now refuses it", async () => {
    const { runs, tools } = harness();
    const batch = batchOf(cases[0]?.calls ?? []);
    const first = await runBatch(batch, tools, { batchId: "b" });
    const second = suspended(
      await resumeBatch(copy(first.checkpoint), tools, {
        decisions: [approve(requestFor(first, "call_1"))],
      }),
    );
    const strict = defineTool({
      name: "gated",
      description: "",
      // The new schema takes n of at most 0 only.
      input: jsonSchema<Input>(
        { type: "object", properties: { n: { maximum: 0 } } },
        {
          validate: (value) =>
            (value as Input).n > 0
              ? { issues: [{ message: "n must be at most 0", path: ["n"] }] }
              : { value: value as Input },
        },
      ),
      needsApproval: true,
      execute: ({ n }, { call }) => {
        runs.push(call.id);
        return n;
      },
    });
    const done = await resumeBatch(copy(second.checkpoint), [strict], {
      decisions: [approve(requestFor(second, "call_0"))],
    });
    expect(runs).toStrictEqual(["call_0"]);
    const codes = done.status === "complete" ? done.results.map((r) => r.ok || r.error.code) : [];
    expect(codes).toStrictEqual([true, "invalid_input"]);
  });
});
