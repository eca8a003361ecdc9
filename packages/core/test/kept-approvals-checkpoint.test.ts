import { describe, expect, it } from "vitest";
import {
  type BatchCheckpoint,
  deserializeBatchCheckpoint,
  InvalidCheckpointError,
  parseBatchCheckpoint,
  serializeBatchCheckpoint,
} from "../src/index.js";
import { exoticValues } from "./support.js";

// Issue 16: a checkpoint's `approved` (decisions kept for calls that could not run yet) and a
// pending request's `requestedAt`: optional fields, read strictly.

// biome-ignore lint/suspicious/noExplicitAny: edits reach any field of untyped data.
type Data = any;

function checkpoint(): BatchCheckpoint {
  const call = (id: string, index: number) => ({ id, name: "pay", input: { n: index }, index });
  return {
    schemaVersion: 1,
    batchId: "b",
    batch: {
      provider: "test",
      complete: true,
      turn: null,
      calls: [call("call_a", 0), call("call_b", 1), call("toString", 2)],
    },
    results: {},
    pending: [
      {
        callId: "call_a",
        toolName: "pay",
        input: { n: 0 },
        digest: "d0",
        batchId: "b",
        requestedAt: 1_700_000_000_000.25,
      },
    ],
    approved: {
      call_b: { digest: "d1", decidedAt: 1_700_000_000_100 },
      toString: { digest: "d2", decidedAt: 1_700_000_000_200, signature: "ab".repeat(32) },
    },
    ledger: {},
  };
}

function edited(edit: (value: Data) => void): unknown {
  const value = JSON.parse(JSON.stringify(checkpoint()));
  edit(value);
  return value;
}

function refusedAt(value: unknown): string {
  try {
    parseBatchCheckpoint(value);
  } catch (error) {
    expect(InvalidCheckpointError.isInstance(error), String(error)).toBe(true);
    return (error as InvalidCheckpointError).path;
  }
  throw new Error("parseBatchCheckpoint accepted it");
}

describe("a checkpoint's kept approvals", () => {
  it("are read as written, through JSON text too, and are optional", () => {
    expect(parseBatchCheckpoint(checkpoint())).toStrictEqual(checkpoint());
    expect(deserializeBatchCheckpoint(serializeBatchCheckpoint(checkpoint()))).toStrictEqual(
      checkpoint(),
    );
    const { approved: _approved, ...without } = checkpoint();
    expect(parseBatchCheckpoint(without)).toStrictEqual(without);
    expect(Object.hasOwn(parseBatchCheckpoint(without), "approved")).toBe(false);
  });

  it("keeps a call id that is a name of Object.prototype as a key", () => {
    const read = parseBatchCheckpoint(checkpoint());
    expect(Object.keys(read.approved ?? {})).toStrictEqual(["call_b", "toString"]);
  });

  it.each([
    ["not an object", (v: Data) => (v.approved = []), "checkpoint.approved"],
    ["null", (v: Data) => (v.approved = null), "checkpoint.approved"],
    [
      "an entry not an object",
      (v: Data) => (v.approved.call_b = "yes"),
      "checkpoint.approved.call_b",
    ],
    [
      "for a call the batch does not hold",
      (v: Data) => (v.approved.call_z = { digest: "d", decidedAt: 1 }),
      "checkpoint.approved.call_z",
    ],
    [
      "for a call still awaiting approval",
      (v: Data) => (v.approved.call_a = { digest: "d", decidedAt: 1 }),
      "checkpoint.approved.call_a",
    ],
    [
      "a digest not a string",
      (v: Data) => (v.approved.call_b.digest = 7),
      "checkpoint.approved.call_b.digest",
    ],
    [
      "no decidedAt",
      (v: Data) => delete v.approved.call_b.decidedAt,
      "checkpoint.approved.call_b.decidedAt",
    ],
    [
      "a decidedAt not a time",
      (v: Data) => (v.approved.call_b.decidedAt = "yesterday"),
      "checkpoint.approved.call_b.decidedAt",
    ],
    [
      "a signature not a string",
      (v: Data) => (v.approved.toString.signature = 1),
      "checkpoint.approved.toString.signature",
    ],
    [
      "a pending requestedAt not a time",
      (v: Data) => (v.pending[0].requestedAt = "now"),
      "checkpoint.pending[0].requestedAt",
    ],
  ])("are refused naming the field when %s", (_what, edit, path) => {
    expect(refusedAt(edited(edit))).toBe(path);
  });

  it("answer any value with a checkpoint or InvalidCheckpointError, never a TypeError", () => {
    for (const [name, hostile] of Object.entries(exoticValues())) {
      for (const edit of [
        (v: Data) => (v.approved = hostile),
        (v: Data) => (v.approved.call_b = hostile),
        (v: Data) => (v.approved.call_b.digest = hostile),
      ]) {
        const value = edited(edit);
        try {
          // An empty null-prototype object is an empty `approved`, or an entry without fields.
          expect(parseBatchCheckpoint(value).approved?.call_b?.digest, name).not.toBe(hostile);
        } catch (error) {
          expect(InvalidCheckpointError.isInstance(error), `${name}: ${String(error)}`).toBe(true);
        }
      }
    }
  });
});
