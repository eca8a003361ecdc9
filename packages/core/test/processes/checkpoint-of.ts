import type { BatchCheckpoint } from "../../src/index.js";

/** A checkpoint of one call whose input holds `tag` and `chars` characters of text. */
export function checkpointOf(batchId: string, tag: string, chars = 0): BatchCheckpoint {
  return {
    schemaVersion: 1,
    batchId,
    batch: {
      provider: "test",
      complete: true,
      turn: { tag },
      calls: [{ id: "call_0", name: "write", input: { tag, text: "é".repeat(chars) }, index: 0 }],
    },
    results: {},
    pending: [],
    ledger: { call_0: { state: "started", startedAt: 1 } },
  };
}
