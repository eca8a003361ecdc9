import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BATCH_CHECKPOINT_SCHEMA_VERSION,
  type BatchCheckpoint,
  CheckpointVersionError,
  createApprovalRequest,
  createApprovalSigner,
  deserializeBatchCheckpoint,
  InvalidCheckpointError,
  parseBatchCheckpoint,
  serializeBatchCheckpoint,
} from "../src/index.js";
import { exoticValues } from "./support.js";

/** Checkpoint data as a test edits it: any field, at any depth. */
// biome-ignore lint/suspicious/noExplicitAny: edits reach any field of untyped data.
type Data = any;

/** A checkpoint with one of everything: results, both ledger states, a pending approval. */
function checkpoint(): BatchCheckpoint {
  return {
    schemaVersion: 1,
    batchId: "0b7f6c1e-3a52-4c8e-9d41-2f6a8b3c5d7e",
    batch: {
      provider: "anthropic",
      complete: true,
      stopReason: "tool_use",
      turn: { role: "assistant", content: [{ type: "thinking", thinking: "…", signature: "sig" }] },
      warnings: [{ code: "id-synthesized", message: "made up", callIndex: 2 }],
      calls: [
        { id: "call_a", name: "read", input: { path: "/a" }, rawInput: '{"path":"/a"}', index: 0 },
        { id: "call_b", name: "write", input: { text: "x" }, index: 1 },
        { id: "Zq81xY0ab", idSynthesized: true, name: "send", input: {}, index: 2 },
        { id: "call_d", name: "read", input: {}, inputError: "bad JSON", index: 3 },
      ],
    },
    results: {
      call_a: { callId: "call_a", name: "read", ok: true, output: { bytes: 3 } },
      call_d: {
        callId: "call_d",
        name: "read",
        ok: false,
        error: { code: "invalid_input", message: "bad JSON" },
      },
    },
    pending: [
      {
        callId: "Zq81xY0ab",
        toolName: "send",
        input: {},
        digest: "sha256:abc",
        batchId: "0b7f6c1e-3a52-4c8e-9d41-2f6a8b3c5d7e",
      },
    ],
    ledger: {
      call_a: {
        state: "settled",
        startedAt: 1_700_000_000_000.5,
        settledAt: 1_700_000_000_020,
        result: { callId: "call_a", name: "read", ok: true, output: { bytes: 3 } },
      },
      call_b: { state: "started", startedAt: 1_700_000_000_001 },
    },
  };
}

/** The checkpoint as untyped JSON data, changed by `edit`. */
function edited(edit: (value: Data) => void): unknown {
  const value = JSON.parse(JSON.stringify(checkpoint()));
  edit(value);
  return value;
}

function refusal(value: unknown): InvalidCheckpointError {
  try {
    parseBatchCheckpoint(value);
  } catch (error) {
    expect(InvalidCheckpointError.isInstance(error), String(error)).toBe(true);
    return error as InvalidCheckpointError;
  }
  throw new Error("parseBatchCheckpoint accepted it");
}

describe("parseBatchCheckpoint", () => {
  it("reads a checkpoint as it was written, as a copy", () => {
    const original = checkpoint();
    const read = parseBatchCheckpoint(original);
    expect(read).toStrictEqual(original);
    expect(parseBatchCheckpoint(JSON.parse(JSON.stringify(original)))).toStrictEqual(original);
    (read.batch.turn as { role: string }).role = "changed";
    (read.results.call_a as { output: { bytes: number } }).output.bytes = 99;
    expect(original.batch.turn).toStrictEqual(checkpoint().batch.turn);
    expect(original.results.call_a).toStrictEqual(checkpoint().results.call_a);
    expect(BATCH_CHECKPOINT_SCHEMA_VERSION).toBe(1);
  });

  it("leaves out an error's cause and fields it does not know", () => {
    const value = edited((c) => {
      c.results.call_d.error.cause = { stack: "…" };
      c.extra = true;
      c.batch.calls[0].extra = 1;
    });
    const cause = new Error("a thrown value is no data");
    (value as Data).results.call_d.error.cause = cause;
    expect(parseBatchCheckpoint(value)).toStrictEqual(checkpoint());
    expect(JSON.parse(serializeBatchCheckpoint(value as BatchCheckpoint))).toStrictEqual(
      checkpoint(),
    );
  });

  it("keeps approval requests as createApprovalRequest and a signer make them", async () => {
    const original = checkpoint();
    const call = original.batch.calls[2] as (typeof original.batch.calls)[number];
    const signer = createApprovalSigner("a secret of at least thirty-two bytes, for tests");
    const request = await signer.signRequest(await createApprovalRequest(call, original.batchId));
    expect(request.signature).toEqual(expect.any(String));
    const withRequest = { ...original, pending: [request] };
    const read = deserializeBatchCheckpoint(serializeBatchCheckpoint(withRequest));
    expect(read.pending).toStrictEqual([request]);
    expect(refusal({ ...withRequest, pending: [{ ...request, signature: 1 }] }).path).toBe(
      "checkpoint.pending[0].signature",
    );
  });

  it("keeps call ids that are also names of Object.prototype as keys", () => {
    const text = serializeBatchCheckpoint(checkpoint())
      .replaceAll('"call_a"', '"__proto__"')
      .replaceAll('"call_b"', '"constructor"');
    const read = deserializeBatchCheckpoint(text);
    expect(Object.getPrototypeOf(read.results)).toBe(Object.prototype);
    expect(Object.keys(read.results)).toStrictEqual(["__proto__", "call_d"]);
    expect(Object.keys(read.ledger)).toStrictEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(read.results, "__proto__")?.value).toMatchObject({
      callId: "__proto__",
      ok: true,
    });
    // Written back, the keys are keys again (a copy by assignment would set a prototype instead).
    expect(serializeBatchCheckpoint(read)).toContain(
      '"results":{"__proto__":{"callId":"__proto__"',
    );
  });

  it.each<[string, (c: Data) => void, string]>([
    ["schemaVersion missing", (c) => delete c.schemaVersion, "checkpoint.schemaVersion"],
    ["schemaVersion a string", (c) => (c.schemaVersion = "1"), "checkpoint.schemaVersion"],
    ["schemaVersion a fraction", (c) => (c.schemaVersion = 1.5), "checkpoint.schemaVersion"],
    ["batchId a number", (c) => (c.batchId = 7), "checkpoint.batchId"],
    ["batch missing", (c) => delete c.batch, "checkpoint.batch"],
    ["calls not an array", (c) => (c.batch.calls = {}), "checkpoint.batch.calls"],
    ["a call null", (c) => (c.batch.calls[1] = null), "checkpoint.batch.calls[1]"],
    ["a call out of place", (c) => (c.batch.calls[1].index = 2), "checkpoint.batch.calls[1].index"],
    [
      "two calls with one id",
      (c) => (c.batch.calls[3].id = "call_a"),
      "checkpoint.batch.calls[3].id",
    ],
    [
      "a call's name missing",
      (c) => delete c.batch.calls[0].name,
      "checkpoint.batch.calls[0].name",
    ],
    [
      "rawInput a number",
      (c) => (c.batch.calls[0].rawInput = 1),
      "checkpoint.batch.calls[0].rawInput",
    ],
    [
      "idSynthesized a string",
      (c) => (c.batch.calls[2].idSynthesized = "yes"),
      "checkpoint.batch.calls[2].idSynthesized",
    ],
    ["complete missing", (c) => delete c.batch.complete, "checkpoint.batch.complete"],
    [
      "a warning's code missing",
      (c) => delete c.batch.warnings[0].code,
      "checkpoint.batch.warnings[0].code",
    ],
    [
      "a warning's callIndex negative",
      (c) => (c.batch.warnings[0].callIndex = -1),
      "checkpoint.batch.warnings[0].callIndex",
    ],
    ["results an array", (c) => (c.results = []), "checkpoint.results"],
    [
      "a result for no call",
      (c) => (c.results.nobody = c.results.call_a),
      "checkpoint.results.nobody",
    ],
    [
      "a result under another call's id",
      (c) => (c.results.call_b = c.results.call_a),
      "checkpoint.results.call_b.callId",
    ],
    [
      "a result with another name",
      (c) => (c.results.call_a.name = "write"),
      "checkpoint.results.call_a.name",
    ],
    ["a result's ok missing", (c) => delete c.results.call_a.ok, "checkpoint.results.call_a.ok"],
    [
      "an unknown error code",
      (c) => (c.results.call_d.error.code = "exploded"),
      "checkpoint.results.call_d.error.code",
    ],
    [
      "an error without message",
      (c) => delete c.results.call_d.error.message,
      "checkpoint.results.call_d.error.message",
    ],
    [
      "a ledger state unknown",
      (c) => (c.ledger.call_b.state = "running"),
      "checkpoint.ledger.call_b.state",
    ],
    [
      "a ledger time a string",
      (c) => (c.ledger.call_b.startedAt = "now"),
      "checkpoint.ledger.call_b.startedAt",
    ],
    [
      "a settled entry without time",
      (c) => delete c.ledger.call_a.settledAt,
      "checkpoint.ledger.call_a.settledAt",
    ],
    [
      "a settled entry for another call",
      (c) => (c.ledger.call_a.result.callId = "call_b"),
      "checkpoint.ledger.call_a.result.callId",
    ],
    [
      "a ledger entry for no call",
      (c) => (c.ledger["a b"] = c.ledger.call_b),
      'checkpoint.ledger["a b"]',
    ],
    ["pending not an array", (c) => (c.pending = {}), "checkpoint.pending"],
    [
      "pending for no call",
      (c) => (c.pending[0].callId = "nobody"),
      "checkpoint.pending[0].callId",
    ],
    [
      "pending under another tool",
      (c) => (c.pending[0].toolName = "read"),
      "checkpoint.pending[0].toolName",
    ],
    [
      "pending in another batch",
      (c) => (c.pending[0].batchId = "other"),
      "checkpoint.pending[0].batchId",
    ],
    ["pending without digest", (c) => delete c.pending[0].digest, "checkpoint.pending[0].digest"],
    [
      "pending for a call with a result",
      (c) => (c.pending[0] = { ...c.pending[0], callId: "call_a", toolName: "read" }),
      "checkpoint.pending[0]",
    ],
    [
      "pending for a call that ran",
      (c) => (c.pending[0] = { ...c.pending[0], callId: "call_b", toolName: "write" }),
      "checkpoint.pending[0]",
    ],
    ["pending twice for one call", (c) => c.pending.push(c.pending[0]), "checkpoint.pending[1]"],
  ])("refuses %s, naming the field", (_name, edit, path) => {
    const error = refusal(edited(edit));
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/^\[toolbatch\/core\] checkpoint/);
    expect(error.message).toContain("restore it from a backup");
  });

  it("refuses what is not JSON data or cannot be read, without a TypeError", () => {
    const cyclic: Data = checkpoint();
    (cyclic.batch.turn as Data).self = cyclic.batch.turn;
    expect(refusal(cyclic).path).toBe("checkpoint.batch.turn.self");
    const bigint: Data = checkpoint();
    bigint.results.call_a.output = { amount: 10n };
    expect(refusal(bigint).path).toBe("checkpoint.results.call_a.output.amount");
    for (const value of [undefined, null, 1, "{}", [], ...Object.values(exoticValues())]) {
      expect(refusal(value).path).toMatch(/^checkpoint($|\.schemaVersion$)/);
    }
    const getter: Record<string, unknown> = { ...checkpoint() };
    Object.defineProperty(getter, "batchId", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    expect(refusal(getter).cause).toBeInstanceOf(Error);
  });

  it("refuses a newer or an older schema version with CheckpointVersionError, never misreads it", () => {
    for (const version of [2, 0, -1, 1e6]) {
      let thrown: unknown;
      try {
        parseBatchCheckpoint(edited((c) => (c.schemaVersion = version)));
      } catch (error) {
        thrown = error;
      }
      expect(CheckpointVersionError.isInstance(thrown)).toBe(true);
      const error = thrown as CheckpointVersionError;
      expect(error.schemaVersion).toBe(version);
      expect(error.supportedVersions).toStrictEqual([1]);
      expect(error.message).toContain(`schemaVersion ${version}`);
      expect(error.message).toMatch(
        version > 1 ? /newer @toolbatch\/core/ : /older @toolbatch\/core/,
      );
      expect(InvalidCheckpointError.isInstance(thrown)).toBe(false);
    }
  });

  it("answers any change to a checkpoint with a checkpoint or a typed refusal", () => {
    const paths = (value: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof value === "object" && value !== null
        ? [
            at,
            ...Object.entries(value).flatMap(([key, inner]) =>
              paths(inner, [...at, Array.isArray(value) ? Number(key) : key]),
            ),
          ]
        : [at];
    const all = paths(JSON.parse(JSON.stringify(checkpoint()))).filter((path) => path.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.anything({ withBigInt: true, withNullPrototype: true }),
        (path, replacement) => {
          const value = edited((c) => {
            let parent = c;
            for (const step of path.slice(0, -1)) parent = parent[step];
            parent[path[path.length - 1] as string] = replacement;
          });
          try {
            parseBatchCheckpoint(value);
          } catch (error) {
            expect(
              InvalidCheckpointError.isInstance(error) || CheckpointVersionError.isInstance(error),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("serializeBatchCheckpoint, deserializeBatchCheckpoint", () => {
  it("write JSON text and read it back", () => {
    const text = serializeBatchCheckpoint(checkpoint());
    expect(deserializeBatchCheckpoint(text)).toStrictEqual(checkpoint());
  });

  it("refuse to write what is not a checkpoint", () => {
    const bad = { ...checkpoint(), batchId: 1 } as unknown as BatchCheckpoint;
    expect(() => serializeBatchCheckpoint(bad)).toThrow(/checkpoint\.batchId is not a string/);
  });

  it("read cut-off or damaged text as InvalidCheckpointError, never a SyntaxError", () => {
    const text = serializeBatchCheckpoint(checkpoint());
    for (const damaged of [
      "",
      text.slice(0, text.length / 2),
      `${text}}`,
      "\u0000\u0000",
      "null",
    ]) {
      let thrown: unknown;
      try {
        deserializeBatchCheckpoint(damaged);
      } catch (error) {
        thrown = error;
      }
      expect(InvalidCheckpointError.isInstance(thrown), damaged.slice(0, 20)).toBe(true);
    }
    expect(() => deserializeBatchCheckpoint("{")).toThrow(/checkpoint is not JSON/);
  });
});
