import type { BatchCheckpoint } from "@toolbatch/core";

/** Options of {@link sampleBatchCheckpoint}. */
export interface SampleCheckpointOptions {
  /** How many calls the batch holds; default 4 (one answered, one running, one awaiting approval). */
  calls?: number;
  /** Characters of text in each call's input, to make large checkpoints; default 0. */
  inputChars?: number;
  /** A text put into the vendor's turn, so that checkpoints of one batch can be told apart. */
  tag?: string;
}

/**
 * A valid `BatchCheckpoint` for `batchId`, with a bit of everything a store must keep: a vendor
 * turn with thinking and non-ASCII text, an answered call (its ledger `settled`), a call that
 * failed, one that `started` and has no result, and one awaiting approval. For store tests.
 */
export function sampleBatchCheckpoint(
  batchId: string,
  options: SampleCheckpointOptions = {},
): BatchCheckpoint {
  const count = Math.max(options.calls ?? 4, 4);
  const text = 'x€🙂"\\\n'
    .repeat(Math.ceil((options.inputChars ?? 0) / 7))
    .slice(0, options.inputChars ?? 0);
  const calls = Array.from({ length: count }, (_, index) => ({
    id: `call_${index}`,
    name: index % 2 === 0 ? "read_file" : "send_mail",
    input: { index, text, nested: { list: [1, 2.5, null, true, "é"] } },
    index,
  }));
  const [read, failed, running, awaiting] = calls as [
    (typeof calls)[0],
    (typeof calls)[0],
    (typeof calls)[0],
    (typeof calls)[0],
  ];
  const ok = { callId: read.id, name: read.name, ok: true as const, output: { lines: 3, text } };
  return {
    schemaVersion: 1,
    batchId,
    batch: {
      provider: "anthropic",
      complete: true,
      stopReason: "tool_use",
      turn: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Four calls. 日本語.", signature: "EqQBCkYIBxgCKkA=" },
          { type: "text", text: options.tag ?? "" },
          ...calls.map((call) => ({
            type: "tool_use",
            id: call.id,
            name: call.name,
            input: call.input,
          })),
        ],
      },
      calls,
    },
    results: {
      [read.id]: ok,
      [failed.id]: {
        callId: failed.id,
        name: failed.name,
        ok: false,
        error: { code: "timeout", message: 'Tool "send_mail" did not finish within 300 ms.' },
      },
    },
    pending: [
      {
        callId: awaiting.id,
        toolName: awaiting.name,
        input: awaiting.input,
        digest: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
        batchId,
      },
    ],
    ledger: {
      [read.id]: {
        state: "settled",
        startedAt: 1_765_000_000_000.25,
        settledAt: 1_765_000_000_012,
        result: ok,
      },
      [failed.id]: { state: "started", startedAt: 1_765_000_000_001 },
      [running.id]: { state: "started", startedAt: 1_765_000_000_002 },
    },
  };
}
