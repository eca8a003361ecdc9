import { describe, expect, it } from "vitest";
import {
  CheckpointVersionError,
  InvalidCheckpointError,
  parseToolLoopCheckpoint,
  resumableBatches,
  TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
} from "../src/index.js";

// Issue 16: the checkpoint of a loop stopped `awaiting-approval` is read back with typed errors,
// never a TypeError, as parseBatchCheckpoint reads the batch inside it.

const valid = {
  schemaVersion: TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
  provider: "openai-chat",
  request: { model: "m", messages: [{ role: "user", content: "hi" }] },
  history: [{ role: "user", content: "hi" }],
  step: 2,
  sentAt: 1,
  receivedAt: 2,
  streamed: false,
  batch: {
    schemaVersion: 1,
    batchId: "b1",
    batch: { provider: "openai-chat", calls: [], complete: true, turn: { role: "assistant" } },
    results: {},
    pending: [],
    ledger: {},
  },
};

/** A loop's state between steps, as `onStep` hands it out: no batch in progress. */
const between = {
  schemaVersion: TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
  provider: "openai-chat",
  request: valid.request,
  history: valid.history,
  step: 3,
};

describe("parseToolLoopCheckpoint", () => {
  it("reads a state between steps back as a copy, with no batch", () => {
    const read = parseToolLoopCheckpoint(JSON.parse(JSON.stringify(between)));
    expect(read).toStrictEqual(between);
    expect(read.batch).toBeUndefined();
  });

  it("reads a checkpoint back as a copy", () => {
    const read = parseToolLoopCheckpoint(JSON.parse(JSON.stringify(valid)));
    expect(read).toStrictEqual(valid);
    expect(read.history).not.toBe(valid.history);
  });

  it.each([
    [{ ...valid, schemaVersion: "1" }, "loopCheckpoint.schemaVersion"],
    [{ ...valid, provider: 7 }, "loopCheckpoint.provider"],
    [{ ...valid, history: {} }, "loopCheckpoint.history"],
    [{ ...valid, step: -1 }, "loopCheckpoint.step"],
    [{ ...valid, sentAt: "now" }, "loopCheckpoint.sentAt"],
    [{ ...valid, streamed: 1 }, "loopCheckpoint.streamed"],
    [{ ...valid, request: { f: () => 1 } }, "loopCheckpoint.request.f"],
    [{ ...valid, batch: { ...valid.batch, pending: {} } }, "checkpoint.pending"],
    [null, "loopCheckpoint"],
    // Between steps (no batch), a step in progress's fields mean a damaged checkpoint.
    [{ ...valid, batch: undefined }, "loopCheckpoint.sentAt"],
    [{ ...between, streamed: false }, "loopCheckpoint.streamed"],
    [{ ...between, batch: null }, "checkpoint"],
  ])("refuses a damaged checkpoint, naming the field (%#)", (value, path) => {
    expect(() => parseToolLoopCheckpoint(value)).toThrow(InvalidCheckpointError);
    expect(() => parseToolLoopCheckpoint(value)).toThrow(
      expect.objectContaining({ path: expect.stringContaining(path) }),
    );
  });

  it("refuses a schema version it cannot read with CheckpointVersionError", () => {
    expect(() => parseToolLoopCheckpoint({ ...valid, schemaVersion: 2 })).toThrow(
      CheckpointVersionError,
    );
  });

  it("refuses a value that throws when read with InvalidCheckpointError", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no");
        },
        has() {
          throw new Error("no");
        },
        getOwnPropertyDescriptor() {
          throw new Error("no");
        },
      },
    );
    expect(() => parseToolLoopCheckpoint(hostile)).toThrow(InvalidCheckpointError);
  });
});

// The loop reads and writes its checkpoint through `batches` (issue 16), so that a loop without
// `batches: resumableBatches()` does not bundle this parser.
describe("resumableBatches' checkpoint", () => {
  const batches = resumableBatches();

  it("writes the fields with the schema version, read back as parseToolLoopCheckpoint reads them", () => {
    const { schemaVersion: _version, ...fields } = valid;
    const written = batches.writeCheckpoint(
      fields as Parameters<typeof batches.writeCheckpoint>[0],
    );
    expect(written).toStrictEqual(parseToolLoopCheckpoint(valid));
    expect(written.schemaVersion).toBe(TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION);
  });

  it("reads with the same typed errors, and refuses another vendor's", () => {
    expect(batches.readCheckpoint(JSON.parse(JSON.stringify(valid)), "openai-chat")).toStrictEqual(
      parseToolLoopCheckpoint(valid),
    );
    expect(() => batches.readCheckpoint({ ...valid, history: "lost" }, "openai-chat")).toThrow(
      InvalidCheckpointError,
    );
    expect(() => batches.readCheckpoint({ ...valid, schemaVersion: 2 }, "openai-chat")).toThrow(
      CheckpointVersionError,
    );
    expect(() => batches.readCheckpoint(valid, "anthropic")).toThrow(InvalidCheckpointError);
  });
});
