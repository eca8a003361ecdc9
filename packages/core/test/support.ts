import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from "vitest";
import {
  type AnyTool,
  type ExecuteBatchOptions,
  executeBatch,
  startBatchExecution,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "../src/index.js";

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

// Taken before any test fakes the timers: `flush` must work on a virtual clock too.
const realSetImmediate = globalThis.setImmediate;

/** Lets queued promise callbacks run (on the real event loop, even under fake timers). */
export async function flush(rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((r) => realSetImmediate(r));
}

/**
 * Values a tool, a validator or a lock function may throw (or return) that break any code which
 * reads them carelessly: each one's description, message or prototype throws or cannot be
 * converted to a string. Made fresh per call, because a revoked Proxy stays revoked.
 */
export function exoticValues(): Record<string, unknown> {
  const messageGetterThrows = new Error("hidden");
  Object.defineProperty(messageGetterThrows, "message", {
    get() {
      throw new Error("the message getter threw");
    },
  });
  const nullPrototypeMessage = new Error("hidden");
  Object.defineProperty(nullPrototypeMessage, "message", { value: Object.create(null) });
  const nameAndMessageThrow = new Error("hidden");
  for (const field of ["message", "name"]) {
    Object.defineProperty(nameAndMessageThrow, field, {
      get() {
        throw nameAndMessageThrow;
      },
    });
  }
  const bigIntInNullPrototype = Object.assign(Object.create(null), { amount: 10n });
  const everyTrapThrows = new Proxy(
    {},
    Object.fromEntries(
      [
        "get",
        "set",
        "has",
        "ownKeys",
        "getPrototypeOf",
        "getOwnPropertyDescriptor",
        "defineProperty",
        "deleteProperty",
        "isExtensible",
        "preventExtensions",
        "setPrototypeOf",
      ].map((trap) => [
        trap,
        () => {
          throw new Error(`the ${trap} trap threw`);
        },
      ]),
    ),
  );
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const toJsonReturnsBigInt = { toJSON: () => 1n, toString: null };
  return {
    "an Error whose message getter throws": messageGetterThrows,
    "an Error whose message is a null-prototype object": nullPrototypeMessage,
    "an Error whose message and name getters throw it": nameAndMessageThrow,
    "a null-prototype object holding a BigInt": bigIntInNullPrototype,
    "a frozen null-prototype object": Object.freeze(Object.create(null)),
    "a Proxy whose getPrototypeOf trap throws": new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("the getPrototypeOf trap threw");
        },
      },
    ),
    "a Proxy whose every trap throws": everyTrapThrows,
    "a revoked Proxy": revoked.proxy,
    "a frozen object whose toJSON returns a BigInt and that has no toString":
      Object.freeze(toJsonReturnsBigInt),
    "a BigInt": 10n,
    "a symbol": Symbol("thrown"),
    "a function whose toString throws": Object.assign(() => {}, {
      toString() {
        throw new Error("toString threw");
      },
    }),
  };
}

/**
 * Records the unhandled rejections of the process until `stop()`; tests assert there were none.
 * (Vitest reports them as well, after the fact; this names them in the failing test.)
 */
export function watchUnhandledRejections() {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on("unhandledRejection", listener);
  return {
    reasons,
    stop: () => process.off("unhandledRejection", listener),
  };
}

/** Fails every test of the calling file during which the process saw an unhandled rejection. */
export function expectNoUnhandledRejections(): void {
  let watch: ReturnType<typeof watchUnhandledRejections>;
  beforeEach(() => {
    watch = watchUnhandledRejections();
  });
  afterEach(async () => {
    await flush();
    watch.stop();
    expect(watch.reasons).toStrictEqual([]);
  });
}

/** The promise's state after queued work has run: whether it settled at all, and how. */
export async function settledState<T>(
  promise: Promise<T>,
): Promise<
  { state: "pending" } | { state: "fulfilled"; value: T } | { state: "rejected"; reason: unknown }
> {
  let outcome:
    | { state: "fulfilled"; value: T }
    | { state: "rejected"; reason: unknown }
    | undefined;
  promise.then(
    (value) => {
      outcome = { state: "fulfilled", value };
    },
    (reason: unknown) => {
      outcome = { state: "rejected", reason };
    },
  );
  await flush();
  return outcome ?? { state: "pending" };
}

/** Puts the calling file's tests on a virtual clock (fake timers), and back after them. */
export function useVirtualClock(): void {
  beforeAll(() => {
    vi.useFakeTimers();
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}

/**
 * Runs a batch whole (`executeBatch`), or, given `streamedAt` (milliseconds, one per call at
 * least), streamed: each call added through `startBatchExecution` at its time, in batch order
 * (the times sorted), as a stream assembler would add it; `onAdd` is told each call's index as
 * it is added.
 */
export function runWholeOrStreamed(
  batch: ToolCallBatch,
  tools: readonly AnyTool[],
  options: ExecuteBatchOptions,
  streamedAt?: readonly number[],
  onAdd?: (index: number) => void,
): Promise<ToolResult[]> {
  if (!streamedAt) return executeBatch(batch, tools, options);
  const execution = startBatchExecution(tools, options);
  const times = streamedAt.slice(0, batch.calls.length).sort((a, b) => a - b);
  return (async () => {
    let clock = 0;
    for (const [i, call] of batch.calls.entries()) {
      const at = times[i] as number;
      if (at > clock) await new Promise((resolve) => setTimeout(resolve, at - clock));
      clock = Math.max(clock, at);
      onAdd?.(i);
      execution.add(call);
    }
    return execution.finish(batch);
  })();
}

/** A result's error code, or "ok". */
export const codeOf = (result: ToolResult): string => (result.ok ? "ok" : result.error.code);

/** A result's error text, or "" for a success. */
export const textOf = (result: ToolResult): string => (result.ok ? "" : result.error.message);

/**
 * Runs the virtual clock until `pending` settles, failing when it never does, then on until no
 * timer is left (tools that ended late, decisions that came late), and resolves with its value.
 */
export async function settleOnClock<T>(pending: Promise<T>): Promise<T> {
  let settled: { value: T } | undefined;
  void pending.then((value) => {
    settled = { value };
  });
  await vi.runAllTimersAsync();
  if (!settled) throw new Error("the batch never settled");
  await vi.runAllTimersAsync();
  return settled.value;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (a tool that honours it). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
