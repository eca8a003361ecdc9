import { createPositionHeap } from "./position-heap.js";

/** What the scheduler needs to know of one runnable call. */
export interface ScheduledCall {
  /** True when the call must run alone: everything before it finished, nothing beside it. */
  readonly barrier: boolean;
  /** Distinct resource keys; calls sharing a key run one at a time, in order. */
  readonly keys: readonly string[];
}

/**
 * Decides which calls may start, given what is running. Calls are added in batch order (all at
 * once, or one by one as a stream completes them); positions count from 0 in that order. It holds
 * no timers and runs nothing itself.
 */
export interface BatchScheduler<Call extends ScheduledCall> {
  /**
   * Adds the next call in batch order; returns its position. A `pending` call (it awaits a
   * decision, see `admit`) keeps its place in batch order but may not start.
   */
  add(call: Call, pending?: boolean): number;
  /** Lets a pending call start like any waiting call (its approval came). */
  admit(position: number): void;
  /** Marks as started, and returns in batch order, every waiting call that may start now. */
  take(): Call[];
  /**
   * Marks a started call finished (its tool really ended), which may let others start. A call
   * answered early (see `abandon`) finishes only now.
   */
  finish(position: number): void;
  /**
   * Marks a started call answered (it timed out, or the batch was cancelled) while its tool may
   * still run: it keeps its keys, its barrier and its place under the concurrency limit until
   * `finish`, so nothing it excludes starts beside it. Calls it holds up are reported by `stalled`.
   */
  abandon(position: number): void;
  /** Removes a waiting or pending call that will not run (it was answered without starting). */
  drop(position: number): void;
  /**
   * The waiting calls that may have come to wait directly on an abandoned call since the last
   * call, each with what holds it up now. Empty while no call is abandoned.
   */
  stalled(): Array<Stall<Call>>;
  /** What an abandoned call holds up a waiting call with, if one does. */
  holdOf(position: number): Hold<Call> | undefined;
}

/**
 * Why a waiting call cannot start until an abandoned call (answered, its tool still running)
 * ends: `lock`, it is next in line for a key the abandoned call holds; `barrier`, one of the two
 * runs alone (`parallel: false`); `concurrency`, abandoned calls take every place under the limit.
 */
export interface Hold<Call> {
  readonly kind: "lock" | "barrier" | "concurrency";
  /**
   * The abandoned call it waits for. For `concurrency`, the one abandoned last: its abandonment
   * took the last place, so the wait counts from its answer.
   */
  readonly holder: Call;
  /** The key, for `lock`. */
  readonly key?: string;
}

/** A waiting call held up by an abandoned call, and how. */
export interface Stall<Call> {
  readonly call: Call;
  readonly hold: Hold<Call>;
}

/** The calls holding one key, in batch order, and where the line stands. */
interface KeyLine {
  readonly positions: number[];
  /** Index in `positions` of the first call that has not finished (the holder, or next in line). */
  head: number;
  /** Index in `positions` at or before the first unfinished call after `head`; see `nextInLine`. */
  next: number;
}

// A call's state.
const WAITING = 0;
const RUNNING = 1;
const FINISHED = 2;
// Answered, but its tool still runs: it holds what a running call holds.
const ABANDONED = 3;
// Awaiting a decision (approval): it holds nothing, but keeps its place in batch order.
const PENDING = 4;

/**
 * Creates the scheduler for one batch. A call may start when
 * - fewer than `concurrency` calls run;
 * - it is not behind an unfinished barrier;
 * - it is a barrier and every call before it finished and nothing runs;
 * - for each of its keys, every earlier call holding that key finished.
 * The earliest unfinished call can always start once what runs has finished, so it never
 * deadlocks; and since every rule looks only at earlier calls, adding later calls never changes
 * whether an earlier one may start.
 *
 * Its work per call does not grow with the batch (issue 15 item 5: rescanning every waiting call on
 * each start made 40,000 calls over 10 keys take 30 s). Each key keeps its line of calls in batch
 * order; a call counts the keys on which it is not yet first in line, and joins a heap of calls
 * free to start (smallest position first, so freed slots are filled in batch order) when that
 * count reaches 0 and no unfinished barrier is before it. The calls before the first unfinished
 * barrier are "the region"; a barrier starts once nothing in the region is left unfinished, and
 * when it finishes, the region grows to the next barrier, each call joining it once.
 *
 * A pending call (issue 16: it awaits approval) holds nothing: no place under the limit, and no
 * key or barrier, since it does not run. It keeps its place in batch order, so the calls the rules
 * put after it wait for it: later calls sharing a key with it, a later barrier, and, when it is a
 * barrier, every later call. Calls it does not order run meanwhile. `admit` makes it waiting;
 * `drop` (denied) lets what it ordered move on.
 *
 * An abandoned call (issue 15 item 3) is still running for these rules. While one exists, the
 * steps that may leave a waiting call directly behind it (the call next in its lines, the calls
 * behind it when it is a barrier, the first barrier, the calls under a full limit) note that call
 * for `stalled`, which checks each with `holdOf`: a handful per event, not the whole batch.
 */
export function createBatchScheduler<Call extends ScheduledCall>(
  concurrency: number,
): BatchScheduler<Call> {
  const calls: Call[] = [];
  const state: number[] = [];
  // Per call: the keys on which an earlier unfinished call stands before it.
  const blocked: number[] = [];
  const lines = new Map<string, KeyLine>();
  const barriers: number[] = [];
  const free = createPositionHeap();
  let barrierCursor = 0;
  // Calls at positions below `joined` have joined the region; `unfinished` of them have not finished.
  let joined = 0;
  let unfinished = 0;
  let running = 0;
  // Abandoned positions, in the order they were abandoned; and the calls to check for `stalled`.
  const abandoned = new Set<number>();
  let touched: number[] = [];

  /** Notes a waiting call that may have come to wait directly on an abandoned call. */
  const touch = (position: number | undefined) => {
    if (abandoned.size > 0 && position !== undefined && state[position] === WAITING) {
      touched.push(position);
    }
  };

  /** The first call in a key's line after the holder that has not finished, if any. */
  const nextInLine = (line: KeyLine): number | undefined => {
    const { positions } = line;
    if (line.next <= line.head) line.next = line.head + 1;
    while (line.next < positions.length && state[positions[line.next] as number] === FINISHED) {
      line.next++;
    }
    return positions[line.next];
  };

  /** The position of the first unfinished barrier, or the number of calls when there is none. */
  const regionEnd = (): number => {
    while (
      barrierCursor < barriers.length &&
      state[barriers[barrierCursor] as number] === FINISHED
    ) {
      barrierCursor++;
    }
    return barriers[barrierCursor] ?? calls.length;
  };

  /** Lets the calls up to the first unfinished barrier join the region, each once. */
  const grow = () => {
    const end = regionEnd();
    for (; joined < end; joined++) {
      if (state[joined] === FINISHED) continue;
      unfinished++;
      if (state[joined] === PENDING) continue;
      if (blocked[joined] === 0) makeFree(joined);
      else touch(joined);
    }
    if (end < calls.length) touch(end);
  };

  const makeFree = (position: number) => {
    free.push(position);
    if (abandoned.size >= concurrency) touch(position);
  };

  /** Removes a call from the rules: its lines move on, and a barrier lets the region grow. */
  const leave = (position: number) => {
    state[position] = FINISHED;
    if (position < joined) unfinished--;
    const call = calls[position] as ScheduledCall;
    for (const key of call.keys) {
      const line = lines.get(key) as KeyLine;
      // A waiting call that leaves from the middle of a line is skipped when the line reaches it.
      if (line.positions[line.head] === position) advance(line);
      touch(line.positions[line.head]);
      touch(nextInLine(line));
    }
    if (call.barrier) grow();
  };

  /** Moves a key's line past its finished calls; the new first in line is one key less blocked. */
  const advance = (line: KeyLine) => {
    const { positions } = line;
    do line.head++;
    while (line.head < positions.length && state[positions[line.head] as number] === FINISHED);
    const next = positions[line.head];
    if (next === undefined) return;
    const left = (blocked[next] as number) - 1;
    blocked[next] = left;
    // A barrier starts by the region's rule, not from the heap; a pending call once admitted.
    if (left === 0 && next < joined && state[next] === WAITING && !(calls[next] as Call).barrier) {
      makeFree(next);
    }
  };

  const holdOf = (position: number): Hold<Call> | undefined => {
    if (state[position] !== WAITING || abandoned.size === 0) return undefined;
    const call = calls[position] as ScheduledCall;
    for (const key of call.keys) {
      const line = lines.get(key) as KeyLine;
      const holder = line.positions[line.head] as number;
      if (state[holder] === ABANDONED && nextInLine(line) === position) {
        return { kind: "lock", holder: calls[holder] as Call, key };
      }
    }
    const barrier = regionEnd();
    if (barrier < position && state[barrier] === ABANDONED) {
      return { kind: "barrier", holder: calls[barrier] as Call };
    }
    // The first barrier waits for every running call, abandoned ones included.
    if (barrier === position) return { kind: "barrier", holder: firstAbandoned() };
    if (position < joined && blocked[position] === 0 && abandoned.size >= concurrency) {
      // The one whose abandonment took the last place: the wait counts from its answer.
      return { kind: "concurrency", holder: lastAbandoned() };
    }
    return undefined;
  };

  const firstAbandoned = (): Call => calls[abandoned.values().next().value as number] as Call;
  const lastAbandoned = (): Call => {
    let last = -1;
    // At most `concurrency` of them when this is asked.
    for (const position of abandoned) last = position;
    return calls[last] as Call;
  };

  return {
    add(call, pending) {
      const position = calls.length;
      calls.push(call);
      state.push(pending ? PENDING : WAITING);
      let waitsFor = 0;
      for (const key of call.keys) {
        let line = lines.get(key);
        if (!line) {
          line = { positions: [], head: 0, next: 0 };
          lines.set(key, line);
        }
        if (line.head < line.positions.length) waitsFor++;
        line.positions.push(position);
      }
      blocked.push(waitsFor);
      if (call.barrier) barriers.push(position);
      grow();
      touch(position);
      return position;
    },
    take() {
      const started: Call[] = [];
      const barrier = regionEnd();
      if (barrier < calls.length && unfinished === 0) {
        // Everything before the barrier finished, so nothing runs: it starts, alone.
        if (state[barrier] === WAITING) {
          state[barrier] = RUNNING;
          running++;
          started.push(calls[barrier] as Call);
        }
        return started;
      }
      while (running < concurrency && free.size > 0) {
        const position = free.pop();
        // Dropped while it waited for a place.
        if (state[position] !== WAITING) continue;
        state[position] = RUNNING;
        running++;
        started.push(calls[position] as Call);
      }
      return started;
    },
    finish(position) {
      if (state[position] !== RUNNING && state[position] !== ABANDONED) return;
      abandoned.delete(position);
      running--;
      // Only the first call in a line runs, so a finishing call is first in each of its lines.
      leave(position);
    },
    abandon(position) {
      if (state[position] !== RUNNING) return;
      state[position] = ABANDONED;
      abandoned.add(position);
      const call = calls[position] as ScheduledCall;
      for (const key of call.keys) touch(nextInLine(lines.get(key) as KeyLine));
      if (call.barrier) {
        // Everything after a barrier waits for it.
        for (let later = position + 1; later < calls.length; later++) touch(later);
      } else {
        touch(regionEnd());
      }
      if (abandoned.size === concurrency) free.forEach(touch);
    },
    admit(position) {
      if (state[position] !== PENDING) return;
      state[position] = WAITING;
      if (position < joined && blocked[position] === 0 && !(calls[position] as Call).barrier) {
        makeFree(position);
      }
      touch(position);
    },
    drop(position) {
      if (state[position] === WAITING || state[position] === PENDING) leave(position);
    },
    stalled() {
      const found: Array<Stall<Call>> = [];
      const candidates = touched;
      touched = [];
      for (const position of candidates) {
        const hold = holdOf(position);
        if (hold) found.push({ call: calls[position] as Call, hold });
      }
      return found;
    },
    holdOf,
  };
}
