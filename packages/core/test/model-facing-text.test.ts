import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createMemoryBatchStore,
  defineTool,
  deserializeBatchCheckpoint,
  type ErrorTextHook,
  type ExecutionEvent,
  executeBatch,
  InvalidOptionError,
  InvalidToolDefinitionError,
  jsonSchema,
  modelOutputOf,
  parseBatchCheckpoint,
  relayResult,
  renderResultText,
  runBatch,
  serializeBatchCheckpoint,
  startBatchExecution,
  type ToolFailure,
  type ToolResult,
} from "../src/index.js";
import { batchOf } from "./support.js";

// Issue 18: what the model reads is the application's to shape. A tool's toModelOutput maps a
// success's output, the executor's errorText an error's text; `results` keep what really happened.

const SECRET = "connection to db-internal-7:5432 refused";

const failing = defineTool({
  name: "failing",
  description: "",
  input: z.object({}),
  execute: () => {
    throw new Error(SECRET);
  },
});
const summarized = defineTool({
  name: "summarized",
  description: "",
  input: z.object({ n: z.number() }),
  execute: ({ n }) => ({ rows: Array.from({ length: n }, (_, i) => ({ i })), internalId: "x-1" }),
  toModelOutput: (output, { call }) => `${output.rows.length} rows for call ${call.id}`,
});
const hide: ErrorTextHook = (result) =>
  result.error.code === "execution_failed"
    ? "The tool failed; try another way."
    : result.error.message;

const failure = (result: ToolResult | undefined) => result as ToolFailure;

describe("errorText", () => {
  it("maps an execution failure's text; the result keeps the executor's text and the cause", async () => {
    const [result] = await executeBatch(batchOf([{ name: "failing" }]), [failing], {
      errorText: hide,
    });
    const { error } = failure(result);
    expect(error.code).toBe("execution_failed");
    expect(error.message).toBe("The tool failed; try another way.");
    expect(error.unmappedMessage).toContain(SECRET);
    expect((error.cause as Error).message).toBe(SECRET);
    expect(renderResultText(result as ToolResult)).toBe(
      "Error (execution_failed): The tool failed; try another way.",
    );
  });

  it("sees every failure the executor answers, with the call and its tool (none when unknown)", async () => {
    const seen: Array<{ code: string; callId: string; tool: string | undefined }> = [];
    const batch = batchOf([
      { name: "nope" },
      { name: "summarized", input: { n: "three" } },
      { name: "summarized", inputError: "not JSON" },
      { name: "failing" },
      { name: "gated" },
    ]);
    const gated = defineTool({
      name: "gated",
      description: "",
      input: z.object({}),
      needsApproval: true,
      execute: () => "ran",
    });
    const results = await executeBatch(batch, [failing, summarized, gated], {
      approve: () => ({ approved: false, reason: "no" }),
      errorText: (result, { call, tool }) => {
        seen.push({ code: result.error.code, callId: call.id, tool: tool?.name });
        return `mapped ${result.error.code}`;
      },
    });
    expect(results.map((result) => (result.ok ? "ok" : result.error.message))).toEqual([
      "mapped unknown_tool",
      "mapped invalid_input",
      "mapped invalid_input",
      "mapped execution_failed",
      "mapped denied",
    ]);
    expect(seen.sort((a, b) => a.callId.localeCompare(b.callId))).toEqual([
      { code: "unknown_tool", callId: "call_0", tool: undefined },
      { code: "invalid_input", callId: "call_1", tool: "summarized" },
      { code: "invalid_input", callId: "call_2", tool: "summarized" },
      { code: "execution_failed", callId: "call_3", tool: "failing" },
      { code: "denied", callId: "call_4", tool: "gated" },
    ]);
  });

  it("maps cancelled and cut-off calls too", async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await executeBatch(batchOf([{ name: "failing" }]), [failing], {
      signal: controller.signal,
      errorText: (result) => `cancelled: ${result.error.code}`,
    });
    expect(failure(cancelled[0]).error.message).toBe("cancelled: not_executed");
    const cut = await executeBatch(batchOf([{ name: "failing" }], { complete: false }), [failing], {
      errorText: () => "cut",
    });
    expect(failure(cut[0]).error.message).toBe("cut");
  });

  it("a hook that throws withholds the text: the model reads the code, never the exception", async () => {
    const results = await executeBatch(
      batchOf([{ name: "failing" }, { name: "nope" }]),
      [failing],
      {
        errorText: () => {
          throw new Error(`hook broke near ${SECRET}`);
        },
      },
    );
    expect(results).toHaveLength(2);
    for (const result of results) {
      const { error } = failure(result);
      expect(error.message).toMatch(
        /did not succeed \((execution_failed|unknown_tool)\); what happened cannot be shown to you\.$/,
      );
      expect(error.message).not.toContain(SECRET);
      expect(error.unmappedMessage).toBeDefined();
    }
  });

  it("a hook that returns no string withholds the text as well", async () => {
    const [result] = await executeBatch(batchOf([{ name: "failing" }]), [failing], {
      errorText: (() => 42) as unknown as ErrorTextHook,
    });
    expect(failure(result).error.message).toBe(
      'Tool "failing" did not succeed (execution_failed); what happened cannot be shown to you.',
    );
  });

  it("is refused when it is not a function, before anything runs", async () => {
    await expect(
      executeBatch(batchOf([{ name: "failing" }]), [failing], {
        errorText: "hide" as unknown as ErrorTextHook,
      }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it("reaches call-end and batch-end with the mapped result, once per call", async () => {
    let calls = 0;
    const events: ExecutionEvent[] = [];
    const results = await executeBatch(batchOf([{ name: "failing" }]), [failing], {
      errorText: () => {
        calls++;
        return "mapped";
      },
      onEvent: (event) => events.push(event),
    });
    expect(calls).toBe(1);
    const end = events.find((event) => event.type === "call-end");
    expect(end?.type === "call-end" && end.result).toBe(results[0]);
  });
});

describe("toModelOutput", () => {
  it("keeps the real output in the result and carries the mapping as modelOutput", async () => {
    const [result] = await executeBatch(batchOf([{ name: "summarized", input: { n: 3 } }]), [
      summarized,
    ]);
    expect(result).toMatchObject({ ok: true, modelOutput: "3 rows for call call_0" });
    if (!result?.ok) throw new Error("expected a success");
    expect(result.output.internalId).toBe("x-1");
    expect(modelOutputOf(result)).toBe("3 rows for call call_0");
    expect(renderResultText(result)).toBe("3 rows for call call_0");
  });

  it("a mapping that throws or is no JSON data withholds the output, never shows the exception", async () => {
    const make = (toModelOutput: (output: string) => unknown) =>
      defineTool({
        name: "t",
        description: "",
        input: jsonSchema({ type: "object" }),
        execute: () => SECRET,
        toModelOutput,
      });
    for (const tool of [
      make(() => {
        throw new Error(SECRET);
      }),
      make(() => 10n),
    ]) {
      const [result] = await startBatchExecution([tool]).finish(batchOf([{ name: "t" }]));
      if (!result?.ok) throw new Error("expected a success");
      expect(result.output).toBe(SECRET);
      expect(result.modelOutput).toBe(
        'Tool "t" ran and returned, but what it returned cannot be shown to you.',
      );
    }
  });

  it("reads undefined as null, as a checkpoint keeps it", async () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => 1,
      toModelOutput: () => undefined,
    });
    const [result] = await executeBatch(batchOf([{ name: "t" }]), [tool]);
    expect(result).toMatchObject({ ok: true, output: 1, modelOutput: null });
  });

  it("keeps a relayed result's modelOutput (mapped where the call ran)", async () => {
    const remote = defineTool({
      name: "remote",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: (_input, { call }) =>
        relayResult({ callId: call.id, name: call.name, ok: true, output: 1, modelOutput: "one" }),
    });
    const [result] = await executeBatch(batchOf([{ name: "remote" }]), [remote]);
    expect(result).toEqual({
      callId: "call_0",
      name: "remote",
      ok: true,
      output: 1,
      modelOutput: "one",
    });
  });

  it("is refused by defineTool when it is not a function", () => {
    expect(() =>
      defineTool({
        name: "t",
        description: "",
        input: jsonSchema({ type: "object" }),
        execute: () => 1,
        toModelOutput: "short" as never,
      }),
    ).toThrow(InvalidToolDefinitionError);
  });
});

describe("model-facing texts in checkpoints", () => {
  it("a checkpoint keeps modelOutput and the mapped text through JSON, and drops unmappedMessage", () => {
    const batch = batchOf([{ name: "summarized" }, { name: "failing" }]);
    const checkpoint = parseBatchCheckpoint({
      schemaVersion: 1,
      batchId: "b",
      batch,
      results: {
        call_0: {
          callId: "call_0",
          name: "summarized",
          ok: true,
          output: { rows: [] },
          modelOutput: "0 rows",
        },
        call_1: {
          callId: "call_1",
          name: "failing",
          ok: false,
          error: { code: "execution_failed", message: "mapped", unmappedMessage: SECRET },
        },
      },
      pending: [],
      ledger: {},
    });
    const text = serializeBatchCheckpoint(checkpoint);
    expect(text).not.toContain(SECRET);
    const back = deserializeBatchCheckpoint(text);
    expect(back.results.call_0).toEqual({
      callId: "call_0",
      name: "summarized",
      ok: true,
      output: { rows: [] },
      modelOutput: "0 rows",
    });
    expect(back.results.call_1).toEqual({
      callId: "call_1",
      name: "failing",
      ok: false,
      error: { code: "execution_failed", message: "mapped" },
    });
  });

  it("runBatch saves the mapped text in its ledger and its outcome, never the hidden one", async () => {
    const store = createMemoryBatchStore();
    const outcome = await runBatch(batchOf([{ name: "failing" }]), [failing], {
      store,
      batchId: "hidden",
      errorText: hide,
    });
    expect(outcome.status).toBe("complete");
    if (outcome.status !== "complete") return;
    expect(failure(outcome.results[0]).error.message).toBe("The tool failed; try another way.");
    const stored = await store.load("hidden");
    expect(serializeBatchCheckpoint(stored?.checkpoint as never)).not.toContain(SECRET);
  });
});

describe("options given as undefined", () => {
  it("are absent: the executor runs with its defaults", async () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => 1,
      jsonSchema: undefined,
      parallel: undefined,
      lock: undefined,
      timeoutMs: undefined,
      needsApproval: undefined,
      idempotent: undefined,
      toModelOutput: undefined,
    });
    expect(tool.parallel).toBe(true);
    expect("toModelOutput" in tool).toBe(false);
    const results = await executeBatch(batchOf([{ name: "t" }, { name: "t" }]), [tool], {
      signal: undefined,
      timeoutMs: undefined,
      concurrency: undefined,
      parallel: undefined,
      approve: undefined,
      onEvent: undefined,
      errorText: undefined,
    });
    expect(results.map((result) => result.ok && result.output)).toEqual([1, 1]);
    const outcome = await runBatch(batchOf([{ name: "t" }]), [tool], {
      store: undefined,
      batchId: undefined,
      signer: undefined,
    });
    expect(outcome.status).toBe("complete");
  });
});
