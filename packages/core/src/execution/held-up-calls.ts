import type { ToolResult } from "../batch/tool-result.js";
import type { BatchScheduler, Hold } from "./batch-scheduler.js";
import { heldUp } from "./call-failures.js";
import { now } from "./execution-events.js";
import { MAX_TIMER_MS, type RunnableCall } from "./run-call.js";

/**
 * The calls held up by abandoned ones (issue 15 item 3). A call answered before its tool ended (a
 * timeout, an abort) keeps its lock keys, barrier and concurrency place until its tool really
 * ends, so nothing it excludes can overlap it. A call waiting directly on such a call gets its own
 * time limit for that wait, counted from when the abandoned call was answered (or, for the
 * concurrency limit, from when abandoned calls took its last place), or from when the call joined
 * the batch if that was later: a line of calls behind one stuck tool is answered together, not
 * one limit after another. When the limit runs out and the
 * call still waits on an abandoned call, it is answered `not_executed`, naming what was busy; if
 * the holder ended first, it runs as usual. A call without a time limit of its own waits as long
 * as the holder's limit (`waitLimit`), so a tool that ignores its signal for ever never hangs the
 * batch.
 */
export interface HeldUpCalls {
  /** Notes a running call answered before its tool ended; the scheduler still counts it running. */
  abandoned(entry: RunnableCall): void;
  /** Notes that an abandoned call's tool ended. */
  released(entry: RunnableCall): void;
  /** Notes a call joining the scheduler: when a call is abandoned, its wait counts from now. */
  joined(entry: RunnableCall): void;
  /** Gives each newly held-up call its deadline, and answers those already past it. */
  check(): void;
  /** Stops the wait of a call that starts after all. */
  cancel(entry: RunnableCall): void;
  /** Stops every wait (the batch was cancelled or cut off: nothing more starts). */
  clear(): void;
}

/**
 * Creates the bookkeeping of held-up calls for a batch's scheduler. `answer` ends a waiting call
 * that will not run (it leaves the scheduler, gets its result, and the run goes on).
 */
export function createHeldUpCalls(
  scheduler: BatchScheduler<RunnableCall>,
  concurrency: number,
  answer: (entry: RunnableCall, result: ToolResult) => void,
): HeldUpCalls {
  const waiting = new Set<RunnableCall>();
  let abandonedCount = 0;

  const expire = (entry: RunnableCall) => {
    entry.holdTimer = undefined;
    waiting.delete(entry);
    const hold = scheduler.holdOf(entry.position as number);
    // Not held up any more (what held it ended): it waits as any call does, or starts.
    if (hold) answer(entry, heldUp(entry, hold, concurrency));
  };

  const arm = (entry: RunnableCall, hold: Hold<RunnableCall>) => {
    // A call without a limit of its own waits as long as the holder's limit: the holder already
    // outlived it, and waiting on a tool that ignores its signal for ever would hang the batch.
    const limit = waitLimit(entry, hold);
    // A limit too long for a timer means none: it waits as long as it takes.
    if (limit === undefined || limit > MAX_TIMER_MS || entry.holdTimer !== undefined) return;
    // For the concurrency limit, the holder is the call whose abandonment took its last place.
    const heldSince = hold.holder.abandonedAt;
    const delay = Math.max(heldSince as number, entry.joinedAt ?? 0) + limit - now();
    if (delay <= 0) {
      answer(entry, heldUp(entry, hold, concurrency));
    } else {
      waiting.add(entry);
      entry.holdTimer = setTimeout(expire, delay, entry);
    }
  };

  return {
    abandoned(entry) {
      entry.abandonedAt = now();
      abandonedCount++;
    },
    released() {
      abandonedCount--;
    },
    joined(entry) {
      // Before any call is abandoned, every wait counts from the abandonment, which comes later.
      if (abandonedCount > 0) entry.joinedAt = now();
    },
    check() {
      // Answering a call moves its lines on, which may leave the next call held up: `answer`
      // runs the scheduler again, which checks again.
      for (const { call, hold } of scheduler.stalled()) arm(call, hold);
    },
    cancel(entry) {
      clearTimeout(entry.holdTimer);
      entry.holdTimer = undefined;
      waiting.delete(entry);
    },
    clear() {
      for (const entry of waiting) clearTimeout(entry.holdTimer);
      waiting.clear();
    },
  };
}

/**
 * How long a held-up call waits for the abandoned call that holds it up: its own time limit, or,
 * without one, the holder's (which the holder has already outlived). Undefined only when neither
 * has a limit, which happens only for a holder abandoned by an abort, after which nothing waits.
 */
export function waitLimit(
  entry: { readonly timeoutMs: number | undefined },
  hold: Hold<{ readonly timeoutMs: number | undefined }>,
): number | undefined {
  return entry.timeoutMs ?? hold.holder.timeoutMs;
}
