import type { StreamAssembler } from "../adapter-kit/provider-adapter.js";
import type { BatchExecution } from "../execution/batch-execution.js";

/** What `unlessAborted` resolves with when the signal aborted first. */
export const ABORTED: unique symbol = Symbol("aborted");

/**
 * Resolves with what `value` settles with, or with {@link ABORTED} as soon as the signal aborts,
 * whichever comes first, so the loop never waits on a request or a stream that ignores the
 * signal. A rejection after the abort is handled here: it has nobody left to reach.
 */
export function unlessAborted<T>(
  value: T | PromiseLike<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  const settled = Promise.resolve(value);
  if (!signal) return settled;
  return new Promise((resolve, reject) => {
    const abort = () => resolve(ABORTED);
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
    settled.then(
      (result) => {
        signal.removeEventListener("abort", abort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

/** How reading a turn's stream ended. */
export type StreamRead =
  /** The stream ended. */
  | { readonly end: "done" }
  /** The signal aborted: the stream was left before its end. */
  | { readonly end: "left" }
  /** The stream threw (or `check`, or the assembler did): `error` as thrown. */
  | { readonly end: "threw"; readonly error: unknown };

/**
 * Feeds every event of the stream to the assembler, and each call it completes to the execution,
 * until the stream ends, throws, or the signal aborts. `check` sees each event first and throws
 * for one the adapter does not read. A stream left before its end is closed (`return()`, on which
 * the vendor SDKs cancel the request) without waiting for it.
 */
export async function readTurnStream<StreamEvent, Turn>(
  stream: AsyncIterable<StreamEvent>,
  assembler: StreamAssembler<StreamEvent, Turn>,
  execution: BatchExecution,
  signal: AbortSignal | undefined,
  check: (event: unknown) => void,
): Promise<StreamRead> {
  let iterator: AsyncIterator<StreamEvent> | undefined;
  let ended = false;
  try {
    iterator = stream[Symbol.asyncIterator]();
    while (!signal?.aborted) {
      const next = await unlessAborted(iterator.next(), signal);
      if (next === ABORTED) break;
      if (next.done) {
        ended = true;
        return { end: "done" };
      }
      check(next.value);
      for (const call of assembler.push(next.value)) execution.add(call);
    }
    return { end: "left" };
  } catch (error) {
    return { end: "threw", error };
  } finally {
    if (!ended && iterator) close(iterator);
  }
}

/** Closes a stream nobody will read, without waiting for it. */
export function closeStream(stream: AsyncIterable<unknown> | undefined): void {
  if (!stream) return;
  try {
    close(stream[Symbol.asyncIterator]());
  } catch {
    // A stream that cannot even be closed has nothing more to give.
  }
}

function close(iterator: AsyncIterator<unknown>): void {
  try {
    const closing = iterator.return?.();
    if (closing) Promise.resolve(closing).catch(() => {});
  } catch {
    // A stream that cannot even be closed has nothing more to give.
  }
}
