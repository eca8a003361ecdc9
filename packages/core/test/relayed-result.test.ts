import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createMemoryBatchStore,
  defineTool,
  type ExecutionEvent,
  executeBatch,
  jsonSchema,
  relayResult,
  runBatch,
  type ToolErrorCode,
  type ToolResult,
  toolFailure,
  toolSuccess,
} from "../src/index.js";
import { batchOf } from "./support.js";

// Issue 17: an executor that runs calls elsewhere (a worker fleet) answers a call with the result
// the worker made, code and message as they are, through `relayResult`; a throw would make every
// worker failure `execution_failed`.

const elsewhere = { id: "another-call", name: "another_tool" };

/** A tool whose execute is `execute`. */
function tool(name: string, execute: () => unknown) {
  return defineTool({
    name,
    description: "Runs elsewhere.",
    input: jsonSchema<Record<string, unknown>>({ type: "object" }),
    execute,
  });
}

/** A tool answering every call with the result `make` builds, relayed. */
const relaying = (make: () => ToolResult) => tool("remote", () => relayResult(make()));

const CODES: readonly ToolErrorCode[] = [
  "unknown_tool",
  "invalid_input",
  "execution_failed",
  "invalid_output",
  "timeout",
  "aborted",
  "not_executed",
  "denied",
  "outcome_unknown",
];

describe("relayResult", () => {
  it("answers the call with a relayed failure's code and message, under the call's own id and name", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CODES), fc.string(), async (code, message) => {
        const remote = relaying(() => toolFailure(elsewhere, code, message, new Error("not kept")));
        const [result] = await executeBatch(batchOf([{ name: "remote" }]), [remote]);
        expect(result).toStrictEqual({
          callId: "call_0",
          name: "remote",
          ok: false,
          error: { code, message },
        });
      }),
      { numRuns: 50 },
    );
  });

  it("checks a relayed output as any output: what JSON cannot hold is invalid_output", async () => {
    const ok = relaying(() => toolSuccess(elsewhere, { rows: [1, 2] }));
    const bad = tool("bad", () => relayResult(toolSuccess(elsewhere, 1n)));
    const results = await executeBatch(batchOf([{ name: "remote" }, { name: "bad" }]), [ok, bad]);
    expect(results[0]).toStrictEqual({
      callId: "call_0",
      name: "remote",
      ok: true,
      output: { rows: [1, 2] },
    });
    expect(results[1]).toMatchObject({
      callId: "call_1",
      ok: false,
      error: { code: "invalid_output" },
    });
  });

  it("keeps the relayed result in events and in the ledger a store saves", async () => {
    const remote = relaying(() => toolFailure(elsewhere, "outcome_unknown", "the worker died"));
    const events: ExecutionEvent[] = [];
    const store = createMemoryBatchStore();
    const outcome = await runBatch(batchOf([{ name: "remote" }]), [remote], {
      batchId: "b",
      store,
      onEvent: (event) => events.push(event),
    });
    const expected = { code: "outcome_unknown", message: "the worker died" };
    expect(outcome.status === "complete" && outcome.results[0]).toMatchObject({ error: expected });
    const end = events.find((event) => event.type === "call-end");
    expect(end?.type === "call-end" && end.result).toMatchObject({ error: expected });
    const stored = await store.load("b");
    expect(stored?.checkpoint.ledger.call_0).toMatchObject({
      state: "settled",
      result: { callId: "call_0", error: expected },
    });
  });

  it("an output whose relay check throws (a hostile Proxy) is execution_failed, not a crash", async () => {
    const hostile = new Proxy(
      {},
      {
        has() {
          throw new Error("trap");
        },
      },
    );
    const answering = tool("remote", () => hostile);
    const [result] = await executeBatch(batchOf([{ name: "remote" }]), [answering]);
    expect(result).toMatchObject({ ok: false, error: { code: "execution_failed" } });
  });
});
