import { describe, expect, it } from "vitest";
import {
  type BatchCheckpoint,
  type BatchStore,
  createMemoryBatchStore,
  defineTool,
  deserializeBatchCheckpoint,
  type ErrorTextHook,
  InvalidOptionError,
  jsonSchema,
  type LedgerEntry,
  renderResultText,
  resumeBatch,
  runBatch,
  serializeBatchCheckpoint,
  type ToolFailure,
  type ToolResult,
} from "../../src/index.js";
import { batchOf, deferred, flush } from "../support.js";

// Issue 18 through checkpoints: what the model reads of a call (toModelOutput's modelOutput,
// errorText's text) survives runBatch, a stored checkpoint and resumeBatch, and every failure the
// model reads is mapped by errorText exactly once, whichever of them wrote it.

const REAL = { rows: [{ id: "internal-7", price: 12 }] };
const SHOWN = "1 row, price 12";

const input = jsonSchema<Record<string, never>>({ type: "object" });
const search = defineTool({
  name: "search",
  description: "",
  input,
  execute: () => REAL,
  toModelOutput: () => SHOWN,
});
const failing = defineTool({
  name: "failing",
  description: "",
  input,
  execute: () => {
    throw new Error("db-internal-7 refused");
  },
});
const gatedTool = defineTool({
  name: "gated",
  description: "",
  input,
  execute: () => 1,
  needsApproval: true,
});
const write = defineTool({ name: "write", description: "", input, execute: () => 1 });

const failure = (result: ToolResult | undefined) => result as ToolFailure;

/** errorText that marks each text it maps, and counts what it saw. */
function marking() {
  const seen: string[] = [];
  const errorText: ErrorTextHook = (result, { call, tool }) => {
    seen.push(`${call.id}:${result.error.code}:${tool?.name ?? "none"}`);
    return `mapped(${result.error.message})`;
  };
  return { seen, errorText };
}

/** The checkpoint `store` holds for `batchId`, as it would be read back in another process. */
async function storedCheckpoint(store: BatchStore, batchId: string): Promise<BatchCheckpoint> {
  const stored = await store.load(batchId);
  return deserializeBatchCheckpoint(
    serializeBatchCheckpoint(stored?.checkpoint as BatchCheckpoint),
  );
}

describe("modelOutput through checkpoints", () => {
  it("runBatch's results keep modelOutput, and the follow-up sends it", async () => {
    const outcome = await runBatch(batchOf([{ name: "search" }]), [search], {
      store: createMemoryBatchStore(),
    });
    if (outcome.status !== "complete") throw new Error(outcome.status);
    expect(outcome.results[0]).toMatchObject({ ok: true, output: REAL, modelOutput: SHOWN });
    expect(renderResultText(outcome.results[0] as ToolResult)).toBe(SHOWN);
  });

  it("resumed from the stored checkpoint, a result answered before keeps modelOutput", async () => {
    const store = createMemoryBatchStore();
    const batch = batchOf([{ name: "search" }, { name: "gated" }]);
    const tools = [search, gatedTool];
    const first = await runBatch(batch, tools, { store, batchId: "m1" });
    if (first.status !== "suspended") throw new Error(first.status);
    const checkpoint = await storedCheckpoint(store, "m1");
    expect(checkpoint.results.call_0).toMatchObject({ output: REAL, modelOutput: SHOWN });

    const decisions = first.pending.map(({ callId, digest }) => ({
      callId,
      digest,
      approved: true,
    }));
    const outcome = await resumeBatch(checkpoint, tools, { store, decisions });
    if (outcome.status !== "complete") throw new Error(outcome.status);
    expect(outcome.results[0]).toMatchObject({ ok: true, output: REAL, modelOutput: SHOWN });
    expect(outcome.results.map(renderResultText)).toStrictEqual([SHOWN, "1"]);
  });

  it("a result found only in the ledger (a crash before the outcome was saved) keeps it too", async () => {
    const store = createMemoryBatchStore();
    await runBatch(batchOf([{ name: "search" }]), [search], { store, batchId: "m2" });
    const saved = await storedCheckpoint(store, "m2");
    const entry = saved.ledger.call_0 as LedgerEntry;
    expect(entry.state === "settled" && entry.result).toMatchObject({ modelOutput: SHOWN });
    const crashed: BatchCheckpoint = { ...saved, results: {} };

    const outcome = await resumeBatch(crashed, [search]);
    if (outcome.status !== "complete") throw new Error(outcome.status);
    expect(outcome.results[0]).toMatchObject({ output: REAL, modelOutput: SHOWN });
    expect(renderResultText(outcome.results[0] as ToolResult)).toBe(SHOWN);
  });
});

describe("errorText on the failures resumeBatch writes", () => {
  it("maps a denial, once, with the call and its tool", async () => {
    const store = createMemoryBatchStore();
    const first = await runBatch(batchOf([{ name: "gated" }]), [gatedTool], {
      store,
      batchId: "e1",
    });
    if (first.status !== "suspended") throw new Error(first.status);
    const { seen, errorText } = marking();
    const decisions = first.pending.map(({ callId, digest }) => ({
      callId,
      digest,
      approved: false,
      reason: "not today",
    }));
    const outcome = await resumeBatch(first.checkpoint, [gatedTool], {
      store,
      decisions,
      errorText,
    });
    if (outcome.status !== "complete") throw new Error(outcome.status);
    const { error } = failure(outcome.results[0]);
    expect(error.code).toBe("denied");
    expect(error.message).toMatch(/^mapped\(Tool "gated" was not run: .*not today/);
    expect(seen).toStrictEqual(["call_0:denied:gated"]);
    const saved = await storedCheckpoint(store, "e1");
    expect(failure(saved.results.call_0).error).toStrictEqual({
      code: "denied",
      message: error.message,
    });
  });

  it("maps an outcome_unknown, once; a failure mapped before keeps its text", async () => {
    const store = createMemoryBatchStore();
    const { seen, errorText } = marking();
    const first = await runBatch(
      batchOf([{ name: "failing" }, { name: "gated" }]),
      [failing, gatedTool],
      {
        store,
        batchId: "e2",
        errorText,
      },
    );
    if (first.status !== "suspended") throw new Error(first.status);
    const mapped = failure(first.checkpoint.results.call_0).error.message;
    expect(mapped).toMatch(/^mapped\(Tool "failing" failed: /);
    // A crash while the approved call ran: its start is in the ledger, its outcome never was.
    const saved = await storedCheckpoint(store, "e2");
    const crashed: BatchCheckpoint = {
      ...saved,
      pending: [],
      ledger: { ...saved.ledger, call_1: { state: "started", startedAt: 1 } },
    };
    const outcome = await resumeBatch(crashed, [failing, gatedTool], {
      errorText,
    });
    if (outcome.status !== "complete") throw new Error(outcome.status);
    expect(failure(outcome.results[0]).error.message).toBe(mapped);
    const unknown = failure(outcome.results[1]).error;
    expect(unknown.code).toBe("outcome_unknown");
    expect(unknown.message).toMatch(/^mapped\(Tool "gated" started, but the process/);
    expect(seen).toStrictEqual(["call_0:execution_failed:failing", "call_1:outcome_unknown:gated"]);
  });

  it("is refused when it is not a function, before anything is saved", async () => {
    const store = createMemoryBatchStore();
    const first = await runBatch(batchOf([{ name: "gated" }]), [gatedTool], {
      store,
      batchId: "e3",
    });
    if (first.status !== "suspended") throw new Error(first.status);
    const decisions = first.pending.map(({ callId, digest }) => ({
      callId,
      digest,
      approved: false,
    }));
    const errorText = "no" as unknown as ErrorTextHook;
    await expect(
      resumeBatch(first.checkpoint, [gatedTool], { store, decisions, errorText }),
    ).rejects.toThrow(InvalidOptionError);
    expect((await store.load("e3"))?.checkpoint.pending).toHaveLength(1);
  });

  it("a call cancelled while its start was saved is mapped in the ledger too", async () => {
    const memory = createMemoryBatchStore();
    const startSaved = deferred();
    let saves = 0;
    const store: BatchStore = {
      ...memory,
      save: async (batchId, checkpoint, version) => {
        // The second save is the call's "started": held until the batch is cancelled.
        if (++saves === 2) await startSaved.promise;
        return memory.save(batchId, checkpoint, version);
      },
    };
    const controller = new AbortController();
    const { errorText } = marking();
    const running = runBatch(batchOf([{ name: "write" }]), [write], {
      store,
      batchId: "e4",
      signal: controller.signal,
      errorText,
    });
    await flush();
    controller.abort();
    startSaved.resolve();
    const outcome = await running;
    if (outcome.status !== "complete") throw new Error(outcome.status);
    expect(failure(outcome.results[0]).error.message).toMatch(/^mapped\(Tool "write" was/);
    await flush();
    // The ledger's own answer (the call's start was saved, then it found the batch cancelled).
    const entry = (await storedCheckpoint(store, "e4")).ledger.call_0 as LedgerEntry;
    expect(entry.state === "settled" && failure(entry.result).error.message).toBe(
      'mapped(Tool "write" was not run: the batch was cancelled before it started.)',
    );
  });
});
