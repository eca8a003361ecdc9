import type { ToolCall, ToolCallBatch } from "../src/index.js";

/** A batch of calls, as an adapter would hand it over. */
export function batchOf(
  calls: ReadonlyArray<{ name: string; input?: unknown; id?: string; inputError?: string }>,
  extra: Partial<ToolCallBatch> = {},
): ToolCallBatch {
  return {
    provider: "test",
    complete: true,
    turn: null,
    calls: calls.map(
      (call, index): ToolCall => ({
        id: call.id ?? `call_${index}`,
        name: call.name,
        input: call.input ?? {},
        ...(call.inputError ? { inputError: call.inputError } : {}),
        index,
      }),
    ),
    ...extra,
  };
}

/** A promise whose settlement the test controls. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued promise callbacks run. */
export async function flush(rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((r) => setImmediate(r));
}
