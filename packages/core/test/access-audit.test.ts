import { describe, expect, it } from "vitest";
import {
  type AccessRecord,
  type AuditOptions,
  createAccessAudit,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  InvalidOptionError,
  InvalidToolDefinitionError,
  jsonSchema,
  runBatch,
  type ToolCallBatch,
} from "../src/index.js";
import { batchOf, codeOf } from "./support.js";

const input = jsonSchema<{ id?: string; fail?: boolean }>({ type: "object" });

const address = defineTool({
  name: "get_address",
  description: "A customer's address",
  input,
  accesses: ["pii:address"],
  execute: ({ fail }) => {
    if (fail) throw new Error("no such customer");
    return { street: "1 Main St" };
  },
});
const orders = defineTool({
  name: "get_orders",
  description: "A customer's orders",
  input,
  accesses: ({ id }) => (id === "vip" ? ["orders", "pii:name"] : ["orders"]),
  execute: () => [{ id: "o1" }],
});
const clock = defineTool({
  name: "get_time",
  description: "The time",
  input,
  execute: () => "12:00",
});
const tools = [address, orders, clock];

/** Runs a batch with the audit on; its results and the `batch-end`'s record. */
async function audited(batch: ToolCallBatch, audit: AuditOptions = {}) {
  let access: AccessRecord | undefined;
  const results = await executeBatch(batch, tools, {
    audit: createAccessAudit(audit),
    onEvent: (event: ExecutionEvent) => {
      if (event.type === "batch-end") access = event.access;
    },
  });
  return { results, access: access as AccessRecord };
}

describe("defineTool accesses", () => {
  it.each([
    ["a string", "pii:address"],
    ["an empty category", [""]],
    ["a number in the list", ["orders", 3]],
    ["an object", { orders: true }],
    ["null", null],
  ])("refuses %s at definition (InvalidToolDefinitionError at accesses)", (_, accesses) => {
    const define = () =>
      defineTool({
        name: "bad",
        description: "",
        input,
        accesses: accesses as never,
        execute: () => 1,
      });
    expect(define).toThrow(InvalidToolDefinitionError);
    expect(define).toThrow(/accesses must be a list of non-empty strings/);
  });

  it("keeps a frozen copy of a list, a function as it is, and nothing when absent", () => {
    const list = ["orders"];
    const tool = defineTool({
      name: "t",
      description: "",
      input,
      accesses: list,
      execute: () => 1,
    });
    list.push("pii:name");
    expect(tool.accesses).toStrictEqual(["orders"]);
    expect(Object.isFrozen(tool.accesses)).toBe(true);
    expect(orders.accesses).toBeTypeOf("function");
    expect("accesses" in clock).toBe(false);
  });
});

describe("the audit option", () => {
  it.each([
    ["audit", 1],
    ["audit", null],
    ["audit.redact", { redact: "yes" }],
    ["audit.sensitive", { sensitive: ["pii:address"] }],
    ["audit.sensitive", { sensitive: [[]] }],
    ["audit.sensitive", { sensitive: [["pii:address", 1]] }],
  ])("createAccessAudit refuses an invalid %s (%j)", (option, audit) => {
    const create = () => createAccessAudit(audit as never);
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(expect.objectContaining({ option }));
  });

  it.each([[{}], [{ sensitive: [] }], ["yes"]])(
    "the executor refuses an audit createAccessAudit did not make (%j), before anything runs",
    async (audit) => {
      let ran = false;
      const spy = defineTool({ name: "spy", description: "", input, execute: () => (ran = true) });
      const failure = executeBatch(batchOf([{ name: "spy" }]), [spy], { audit: audit as never });
      await expect(failure).rejects.toThrow(InvalidOptionError);
      await expect(failure).rejects.toMatchObject({ option: "audit" });
      expect(ran).toBe(false);
    },
  );

  it("keeps its own copy of the sensitive combinations", async () => {
    const combination = ["pii:address"];
    const audit = createAccessAudit({ sensitive: [combination] });
    combination.push("orders");
    let access: AccessRecord | undefined;
    await executeBatch(batchOf([{ name: "get_address", id: "a" }]), tools, {
      audit,
      onEvent: (event) => {
        if (event.type === "batch-end") access = event.access;
      },
    });
    expect(access?.sensitive).toStrictEqual([{ categories: ["pii:address"], callIds: ["a"] }]);
  });

  it("adds no record without the option", async () => {
    const ends: ExecutionEvent[] = [];
    await executeBatch(batchOf([{ name: "get_address" }]), tools, {
      onEvent: (event) => event.type === "batch-end" && ends.push(event),
    });
    expect(ends).toHaveLength(1);
    expect("access" in (ends[0] as object)).toBe(false);
  });
});

describe("the access record", () => {
  it("lists every call, what ran on which categories, and the sensitive combinations", async () => {
    const batch = batchOf(
      [
        { name: "get_address", id: "a" },
        { name: "get_orders", id: "b", input: { id: "vip" } },
        { name: "get_time", id: "c" },
        { name: "no_such_tool", id: "d" },
        { name: "get_address", id: "e", input: { fail: true } },
      ],
      { provider: "anthropic", responseId: "msg_01" },
    );
    const { results, access } = await audited(batch, {
      sensitive: [["pii:address", "pii:name"], ["pii:address", "pii:email"], ["orders"]],
    });
    expect(results.map(codeOf)).toStrictEqual([
      "ok",
      "ok",
      "ok",
      "unknown_tool",
      "execution_failed",
    ]);
    expect(access).toStrictEqual({
      schemaVersion: 1,
      batchId: expect.any(String),
      provider: "anthropic",
      responseId: "msg_01",
      calls: [
        { callId: "a", tool: "get_address", ran: true, outcome: "ok", accesses: ["pii:address"] },
        {
          callId: "b",
          tool: "get_orders",
          ran: true,
          outcome: "ok",
          accesses: ["orders", "pii:name"],
        },
        { callId: "c", tool: "get_time", ran: true, outcome: "ok", accesses: [] },
        { callId: "d", tool: "no_such_tool", ran: false, outcome: "unknown_tool", accesses: [] },
        {
          callId: "e",
          tool: "get_address",
          ran: true,
          outcome: "execution_failed",
          accesses: ["pii:address"],
        },
      ],
      // The failed call's address never reached the model; the first one's did.
      categories: ["orders", "pii:address", "pii:name"],
      sensitive: [
        { categories: ["pii:address", "pii:name"], callIds: ["a", "b"] },
        { categories: ["orders"], callIds: ["b"] },
      ],
    });
    expect(JSON.parse(JSON.stringify(access))).toStrictEqual(access);
  });

  it("records a throwing or wrong accesses function as an error, and the call's result unchanged", async () => {
    const throwing = defineTool({
      name: "throwing",
      description: "",
      input,
      accesses: () => {
        throw new Error("categories unavailable");
      },
      execute: () => "fine",
    });
    const wrong = defineTool({
      name: "wrong",
      description: "",
      input,
      accesses: () => "orders" as never,
      execute: () => "fine",
    });
    let access: AccessRecord | undefined;
    const results = await executeBatch(
      batchOf([{ name: "throwing" }, { name: "wrong" }]),
      [throwing, wrong],
      {
        audit: createAccessAudit(),
        onEvent: (event) => {
          if (event.type === "batch-end") access = event.access;
        },
      },
    );
    expect(results.map((result) => result.ok && result.output)).toStrictEqual(["fine", "fine"]);
    expect(access?.calls).toStrictEqual([
      {
        callId: "call_0",
        tool: "throwing",
        ran: true,
        outcome: "ok",
        error: "accesses failed: categories unavailable",
      },
      {
        callId: "call_1",
        tool: "wrong",
        ran: true,
        outcome: "ok",
        error: "accesses returned no list of strings",
      },
    ]);
    expect(access?.categories).toStrictEqual([]);
  });

  it("keeps of arguments and results only what redact returns, as a JSON copy", async () => {
    const batch = batchOf([
      { name: "get_address", id: "a", input: { id: "c-1" } },
      { name: "get_address", id: "b", input: { fail: true } },
    ]);
    const { access } = await audited(batch, {
      redact: (kind, value, call) =>
        kind === "arguments" ? value : call.id === "a" ? "(address withheld)" : value,
    });
    expect(access.calls.map(({ arguments: args, result }) => ({ args, result }))).toStrictEqual([
      { args: { id: "c-1" }, result: "(address withheld)" },
      {
        args: { fail: true },
        result: { code: "execution_failed", message: expect.stringContaining("no such customer") },
      },
    ]);
  });

  it("keeps nothing of a value redact drops, throws on, or cannot give as JSON", async () => {
    const batch = batchOf([{ name: "get_address", id: "a" }]);
    const { results, access } = await audited(batch, {
      redact: (kind) => {
        if (kind === "arguments") throw new Error("redactor down");
        return 10n;
      },
    });
    expect(results.map(codeOf)).toStrictEqual(["ok"]);
    expect(access.calls).toStrictEqual([
      {
        callId: "a",
        tool: "get_address",
        ran: true,
        outcome: "ok",
        accesses: ["pii:address"],
        error: expect.stringMatching(
          /redact\(arguments\) failed: redactor down; redact\(result\) failed/,
        ),
      },
    ]);
  });

  it("counts a call that timed out as ran, its categories not returned", async () => {
    const slow = defineTool({
      name: "slow",
      description: "",
      input,
      accesses: ["pii:address"],
      execute: (_, { signal }) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    });
    let access: AccessRecord | undefined;
    const controller = new AbortController();
    const pending = executeBatch(batchOf([{ name: "slow" }, { name: "slow" }]), [slow], {
      audit: createAccessAudit({ sensitive: [["pii:address"]] }),
      signal: controller.signal,
      concurrency: 1,
      onEvent: (event) => {
        if (event.type === "call-start") controller.abort();
        if (event.type === "batch-end") access = event.access;
      },
    });
    expect((await pending).map(codeOf)).toStrictEqual(["aborted", "not_executed"]);
    expect(access?.calls.map(({ ran, accesses }) => ({ ran, accesses }))).toStrictEqual([
      { ran: true, accesses: ["pii:address"] },
      { ran: false, accesses: [] },
    ]);
    expect(access?.categories).toStrictEqual([]);
    expect(access?.sensitive).toStrictEqual([]);
  });

  it("leaves responseId out when the batch has none", async () => {
    const { access } = await audited(batchOf([]));
    expect(access).toStrictEqual({
      schemaVersion: 1,
      batchId: expect.any(String),
      provider: "test",
      calls: [],
      categories: [],
      sensitive: [],
    });
  });

  it("comes with runBatch's batch-end too, under the batch id its ledger keeps", async () => {
    let access: AccessRecord | undefined;
    const outcome = await runBatch(batchOf([{ name: "get_address", id: "a" }]), tools, {
      batchId: "batch-1",
      audit: createAccessAudit({ sensitive: [["pii:address"]] }),
      onEvent: (event) => {
        if (event.type === "batch-end") access = event.access;
      },
    });
    expect(outcome.status).toBe("complete");
    expect(access).toMatchObject({
      batchId: "batch-1",
      categories: ["pii:address"],
      sensitive: [{ categories: ["pii:address"], callIds: ["a"] }],
    });
  });
});
