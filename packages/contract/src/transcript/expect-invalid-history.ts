import { InvalidHistoryError, type TranscriptCodec } from "@toolbatch/core";
import { expect } from "vitest";

/**
 * Asserts that a codec refuses a history (untyped JSON, as loaded from storage) with an
 * `InvalidHistoryError` at `index` whose message starts `[<source>] history[<index>]` and
 * contains `says`.
 */
export function expectInvalidHistory(
  codec: TranscriptCodec<unknown>,
  history: readonly unknown[],
  expected: { readonly index: number; readonly source: string; readonly says: string },
): void {
  let thrown: unknown;
  try {
    codec.read(history);
  } catch (error) {
    thrown = error;
  }
  expect(InvalidHistoryError.isInstance(thrown), "read accepted a malformed history").toBe(true);
  const error = thrown as InvalidHistoryError;
  expect(error.index).toBe(expected.index);
  expect(error.message.startsWith(`[${expected.source}] history[${expected.index}]`)).toBe(true);
  expect(error.message).toContain(expected.says);
}
