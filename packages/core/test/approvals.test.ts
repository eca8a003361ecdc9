import { describe, expect, it } from "vitest";
import {
  type ApprovalAnswer,
  type ApprovalQuestion,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  InvalidOptionError,
  InvalidToolDefinitionError,
  jsonSchema,
  type LockKeys,
  MissingApprovalHandlerError,
  type NeedsApproval,
  startBatchExecution,
  type ToolResult,
} from "../src/index.js";
import { batchOf, deferred, exoticValues, expectNoUnhandledRejections, flush } from "./support.js";

// Issue 16 part A: approvals in one process. Calls that need approval wait for a decision while
// the rest of the batch runs; denied calls never run; a failing check or handler fails only its
// own call.

expectNoUnhandledRejections();

const code = (result: ToolResult | undefined) =>
  result === undefined ? "missing" : result.ok ? "ok" : result.error.code;
const text = (result: ToolResult | undefined) => (result && !result.ok ? result.error.message : "");

type Input = { n: number; key?: string };

/** Tools that record, inside `execute`, which calls ran; `gated` needs approval. */
function harness(needsApproval: NeedsApproval<Input> = true) {
  const ran: number[] = [];
  const input = jsonSchema<Input>({ type: "object" });
  const execute = ({ n }: Input) => {
    ran.push(n);
    return n;
  };
  const lock = ({ key }: Input): LockKeys => key;
  const tools = [
    defineTool({ name: "free", description: "", input, execute, lock }),
    defineTool({ name: "gated", description: "", input, execute, lock, needsApproval }),
    defineTool({
      name: "gated_alone",
      description: "",
      input,
      execute,
      parallel: false,
      needsApproval,
    }),
  ];
  return { ran, tools };
}

/** An approve handler whose answers the test gives, call by call. */
function manualApprove() {
  const asked: ApprovalQuestion[] = [];
  const answers = new Map<string, ReturnType<typeof deferred<ApprovalAnswer>>>();
  const approve = (question: ApprovalQuestion) => {
    asked.push(question);
    const answer = deferred<ApprovalAnswer>();
    answers.set(question.callId, answer);
    return answer.promise;
  };
  const answer = (callId: string, value: ApprovalAnswer) => answers.get(callId)?.resolve(value);
  return { approve, asked, answer };
}

describe("defineTool's needsApproval", () => {
  it("takes a boolean or a function, and refuses anything else", () => {
    const base = { name: "t", description: "", input: jsonSchema({ type: "object" }) };
    const execute = () => 1;
    expect(defineTool({ ...base, execute, needsApproval: true }).needsApproval).toBe(true);
    expect(defineTool({ ...base, execute, needsApproval: false }).needsApproval).toBeUndefined();
    const check = () => false;
    expect(defineTool({ ...base, execute, needsApproval: check }).needsApproval).toBe(check);
    for (const wrong of ["yes", 1, null, {}]) {
      const define = () => defineTool({ ...base, execute, needsApproval: wrong as never });
      expect(define).toThrow(InvalidToolDefinitionError);
      try {
        define();
      } catch (error) {
        expect((error as InvalidToolDefinitionError).field).toBe("needsApproval");
        expect((error as Error).message).toMatch(/needsApproval must be a boolean or a function/);
      }
    }
  });
});

describe("executeBatch with approvals", () => {
  it("refuses a tool that may need approval without an approve handler, before anything runs", async () => {
    for (const needsApproval of [true, () => false] as const) {
      const { ran, tools } = harness(needsApproval);
      const batch = batchOf([{ name: "free", input: { n: 0 } }]);
      const error = await executeBatch(batch, tools).catch((thrown: unknown) => thrown);
      expect(MissingApprovalHandlerError.isInstance(error)).toBe(true);
      expect((error as MissingApprovalHandlerError).toolName).toBe("gated");
      expect((error as Error).message).toMatch(
        /^\[toolbatch\/core\] .*pass \{ approve \} in the options/,
      );
      expect(() => startBatchExecution(tools)).toThrow(MissingApprovalHandlerError);
      expect(ran).toStrictEqual([]);
    }
    // A tool set without such a tool needs no handler.
    const plain = harness().tools.slice(0, 1);
    await expect(executeBatch(batchOf([{ name: "free" }]), plain)).resolves.toHaveLength(1);
  });

  it("refuses an approve option that is not a function", async () => {
    const { tools } = harness();
    const error = await executeBatch(batchOf([]), tools, { approve: 1 as never }).catch(
      (thrown: unknown) => thrown,
    );
    expect(InvalidOptionError.isInstance(error)).toBe(true);
  });

  it("runs approved calls, answers denied ones without running them, and asks with the call", async () => {
    const { ran, tools } = harness();
    const batch = batchOf([
      { name: "gated", input: { n: 0 } },
      { name: "gated", input: { n: 1 } },
      { name: "gated", input: { n: 2 } },
    ]);
    const asked: ApprovalQuestion[] = [];
    const results = await executeBatch(batch, tools, {
      approve: (question) => {
        asked.push(question);
        const { n } = question.input as Input;
        if (n === 0) return { approved: true };
        return n === 1 ? { approved: false, reason: "too expensive" } : { approved: false };
      },
    });
    expect(ran).toStrictEqual([0]);
    expect(results.map(code)).toStrictEqual(["ok", "denied", "denied"]);
    expect(text(results[1])).toBe(
      'Tool "gated" was not run: running this call was denied. The reason given: "too expensive". Do not call it again unless the user asks you to.',
    );
    expect(text(results[2])).toBe(
      'Tool "gated" was not run: running this call was denied. Do not call it again unless the user asks you to.',
    );
    expect(asked.map((q) => [q.callId, q.toolName, q.call.id])).toStrictEqual([
      ["call_0", "gated", "call_0"],
      ["call_1", "gated", "call_1"],
      ["call_2", "gated", "call_2"],
    ]);
    // One batch id per run, the one the tools see.
    expect(new Set(asked.map((q) => q.batchId)).size).toBe(1);
    expect(asked[0]?.batchId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("lets the rest of the batch run and finish while calls wait, even if approve never answers", async () => {
    const { ran, tools } = harness();
    const never = () => new Promise<ApprovalAnswer>(() => {});
    const batch = batchOf([
      { name: "gated", input: { n: 0, key: "a" } },
      { name: "free", input: { n: 1 } },
      { name: "free", input: { n: 2, key: "b" } },
      { name: "gated_alone", input: { n: 3 } },
    ]);
    const controller = new AbortController();
    const done = executeBatch(batch, tools, {
      approve: never,
      concurrency: 1,
      signal: controller.signal,
    });
    await flush();
    // The waiting calls hold no concurrency place: both free calls ran under a limit of 1.
    expect(ran).toStrictEqual([1, 2]);
    controller.abort();
    const results = await done;
    expect(results.map(code)).toStrictEqual(["not_executed", "ok", "ok", "not_executed"]);
    expect(text(results[0])).toBe(
      'Tool "gated" was not run: the batch was cancelled before it started.',
    );
  });

  it("keeps batch order: a later call sharing a lock key waits for the decision; a denial lets it run", async () => {
    const { ran, tools } = harness();
    const { approve, answer } = manualApprove();
    const batch = batchOf([
      { name: "free", input: { n: 0, key: "k" } },
      { name: "gated", input: { n: 1, key: "k" } },
      { name: "free", input: { n: 2, key: "k" } },
      { name: "free", input: { n: 3, key: "other" } },
    ]);
    const done = executeBatch(batch, tools, { approve });
    await flush();
    expect(ran).toStrictEqual([0, 3]);
    answer("call_1", { approved: false, reason: "no" });
    const results = await done;
    expect(ran).toStrictEqual([0, 3, 2]);
    expect(results.map(code)).toStrictEqual(["ok", "denied", "ok", "ok"]);

    ran.length = 0;
    const again = executeBatch(batch, tools, { approve });
    await flush();
    answer("call_1", { approved: true });
    await again;
    // Approved, it runs in its place: after call 0 and before call 2 on key k.
    expect(ran).toStrictEqual([0, 3, 1, 2]);
  });

  it("keeps batch order around barriers: calls before a waiting barrier run, calls after wait", async () => {
    const { ran, tools } = harness();
    const { approve, answer } = manualApprove();
    const batch = batchOf([
      { name: "free", input: { n: 0 } },
      { name: "gated_alone", input: { n: 1 } },
      { name: "free", input: { n: 2 } },
    ]);
    const done = executeBatch(batch, tools, { approve });
    await flush();
    expect(ran).toStrictEqual([0]);
    answer("call_1", { approved: true });
    expect((await done).map(code)).toStrictEqual(["ok", "ok", "ok"]);
    expect(ran).toStrictEqual([0, 1, 2]);
  });

  it("does not count the wait for approval against the time limit", async () => {
    const { tools } = harness();
    const batch = batchOf([{ name: "gated", input: { n: 0 } }]);
    const results = await executeBatch(batch, tools, {
      timeoutMs: 5,
      approve: () => new Promise((resolve) => setTimeout(resolve, 30, { approved: true })),
    });
    expect(results.map(code)).toStrictEqual(["ok"]);
  });

  it("asks only when the tool's check says so, with the validated input and the batch id", async () => {
    const seen: unknown[] = [];
    const { ran, tools } = harness(async (input, context) => {
      seen.push([input.n, context.call.id, typeof context.batchId]);
      return input.n > 0;
    });
    const asked: number[] = [];
    const results = await executeBatch(
      batchOf([
        { name: "gated", input: { n: 0 } },
        { name: "gated", input: { n: 1 } },
      ]),
      tools,
      {
        approve: ({ input }) => {
          asked.push((input as Input).n);
          return { approved: false };
        },
      },
    );
    expect(seen).toStrictEqual([
      [0, "call_0", "string"],
      [1, "call_1", "string"],
    ]);
    expect(asked).toStrictEqual([1]);
    expect(ran).toStrictEqual([0]);
    expect(results.map(code)).toStrictEqual(["ok", "denied"]);
  });

  it("fails only its call when the check throws, rejects or answers no boolean", async () => {
    const checks: Record<string, NeedsApproval<Input>> = {
      throws: () => {
        throw new Error("no policy");
      },
      rejects: () => Promise.reject(new Error("policy service down")),
      "returns a string": () => "yes" as never,
      "resolves to undefined": async () => undefined as never,
      "throws an exotic value": () => {
        throw exoticValues()["a revoked Proxy"];
      },
    };
    for (const [label, check] of Object.entries(checks)) {
      const { ran, tools } = harness(check);
      const results = await executeBatch(
        batchOf([
          { name: "gated", input: { n: 0 } },
          { name: "free", input: { n: 1 } },
        ]),
        tools,
        { approve: () => ({ approved: true }) },
      );
      expect(results.map(code), label).toStrictEqual(["execution_failed", "ok"]);
      expect(text(results[0]), label).toMatch(
        /^Tool "gated" failed before it ran: its approval check \(needsApproval\) (threw: |returned )/,
      );
      expect(ran, label).toStrictEqual([1]);
    }
  });

  it("fails only its call when approve throws, rejects or answers garbage", async () => {
    const handlers: Record<string, (question: ApprovalQuestion) => unknown> = {
      throws: () => {
        throw new Error("ui crashed");
      },
      rejects: async () => {
        throw new Error("ui gone");
      },
      "returns undefined": () => undefined,
      "returns null": () => null,
      "returns approved: 'yes'": () => ({ approved: "yes" }),
      "returns a reason that is no string": () => ({ approved: false, reason: 42 }),
      "returns a revoked Proxy": () => exoticValues()["a revoked Proxy"],
      "throws a revoked Proxy": () => {
        throw exoticValues()["a revoked Proxy"];
      },
    };
    for (const [label, approve] of Object.entries(handlers)) {
      const { ran, tools } = harness();
      const results = await executeBatch(
        batchOf([
          { name: "gated", input: { n: 0 } },
          { name: "free", input: { n: 1 } },
        ]),
        tools,
        { approve: approve as never },
      );
      expect(results.map(code), label).toStrictEqual(["execution_failed", "ok"]);
      expect(text(results[0]), label).toMatch(
        /^Tool "gated" failed before it ran: the approve handler (threw: |returned )/,
      );
      expect(ran, label).toStrictEqual([1]);
    }
  });

  it("ignores a decision that comes after the batch was cancelled", async () => {
    const { ran, tools } = harness();
    const { approve, answer } = manualApprove();
    const controller = new AbortController();
    const done = executeBatch(batchOf([{ name: "gated", input: { n: 0 } }]), tools, {
      approve,
      signal: controller.signal,
    });
    await flush();
    controller.abort();
    const results = await done;
    answer("call_0", { approved: true });
    await flush();
    expect(results.map(code)).toStrictEqual(["not_executed"]);
    expect(ran).toStrictEqual([]);
  });

  it("reports approval-requested and approval-decided, before the call's start", async () => {
    const { tools } = harness();
    const events: ExecutionEvent[] = [];
    await executeBatch(
      batchOf([
        { name: "gated", input: { n: 0 } },
        { name: "gated", input: { n: 1 } },
      ]),
      tools,
      {
        approve: ({ callId }) =>
          callId === "call_0" ? { approved: true } : { approved: false, reason: "no" },
        onEvent: (event) => events.push(event),
      },
    );
    const trail = (id: string) =>
      events.filter((e) => "call" in e && e.call.id === id).map((e) => e.type);
    expect(trail("call_0")).toStrictEqual([
      "approval-requested",
      "approval-decided",
      "call-start",
      "call-end",
    ]);
    expect(trail("call_1")).toStrictEqual(["approval-requested", "approval-decided", "call-end"]);
    expect(events.at(-1)?.type).toBe("batch-end");
    const decided = events.filter((e) => e.type === "approval-decided");
    expect(decided.map((e) => [e.approved, e.reason])).toStrictEqual([
      [true, undefined],
      [false, "no"],
    ]);
    for (const event of decided) {
      expect(event.durationMs).toBe(event.time - event.requestTime);
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("gates streamed calls too (startBatchExecution), each asked as soon as it is added", async () => {
    const { ran, tools } = harness();
    const { approve, asked, answer } = manualApprove();
    const batch = batchOf([
      { name: "gated", input: { n: 0 } },
      { name: "free", input: { n: 1 } },
    ]);
    const execution = startBatchExecution(tools, { approve });
    execution.add(batch.calls[0] as (typeof batch.calls)[number]);
    await flush();
    expect(asked.map((q) => q.callId)).toStrictEqual(["call_0"]);
    execution.add(batch.calls[1] as (typeof batch.calls)[number]);
    await flush();
    expect(ran).toStrictEqual([1]);
    const done = execution.finish(batch);
    answer("call_0", { approved: true });
    expect((await done).map(code)).toStrictEqual(["ok", "ok"]);
    expect(ran).toStrictEqual([1, 0]);
  });

  it("answers a waiting call of a turn that was cut off not_executed, and never runs it", async () => {
    const { ran, tools } = harness();
    const { approve, answer } = manualApprove();
    const batch = batchOf([{ name: "gated", input: { n: 0 } }, { name: "free" }], {
      complete: false,
    });
    const execution = startBatchExecution(tools, { approve });
    execution.add(batch.calls[0] as (typeof batch.calls)[number]);
    const results = await execution.finish(batch);
    answer("call_0", { approved: true });
    await flush();
    expect(results.map(code)).toStrictEqual(["not_executed", "not_executed"]);
    expect(ran).toStrictEqual([]);
  });
});
