/** What the scheduler needs to know of one runnable call. */
export interface ScheduledCall {
  /** True when the call must run alone: everything before it finished, nothing beside it. */
  readonly barrier: boolean;
  /** Resource keys; calls sharing a key run one at a time, in order. */
  readonly keys: readonly string[];
}

/**
 * Decides which calls may start, given what is running. Calls are added in batch order (all at
 * once, or one by one as a stream completes them); positions count from 0 in that order. It holds
 * no timers and runs nothing itself.
 */
export interface BatchScheduler<Call extends ScheduledCall> {
  /** Adds the next call in batch order; returns its position. */
  add(call: Call): number;
  /** Marks as started, and returns in batch order, every waiting call that may start now. */
  take(): Call[];
  /** Marks a started call finished, which may let others start. */
  finish(position: number): void;
}

interface KeyQueue {
  readonly positions: number[];
  head: number;
}

// A call's state: 0 waiting, 1 running, 2 finished.
const RUNNING = 1;
const FINISHED = 2;

/**
 * Creates the scheduler for one batch. A call may start when
 * - fewer than `concurrency` calls run;
 * - it is not behind an unfinished barrier;
 * - it is a barrier and every call before it finished and nothing runs;
 * - for each of its keys, every earlier call holding that key finished.
 * The earliest unfinished call can always start once what runs has finished, so it never
 * deadlocks; and since every rule looks only at earlier calls, adding later calls never changes
 * whether an earlier one may start.
 */
export function createBatchScheduler<Call extends ScheduledCall>(
  concurrency: number,
): BatchScheduler<Call> {
  const calls: Call[] = [];
  const state: number[] = [];
  const barriers: number[] = [];
  const queues = new Map<string, KeyQueue>();
  let waiting: number[] = [];
  let running = 0;
  let firstUnfinished = 0;
  let barrierCursor = 0;

  const nextBarrier = (): number => {
    while (
      barrierCursor < barriers.length &&
      state[barriers[barrierCursor] as number] === FINISHED
    ) {
      barrierCursor++;
    }
    return barriers[barrierCursor] ?? Infinity;
  };

  const canStart = (position: number): boolean => {
    const call = calls[position] as ScheduledCall;
    if (call.barrier) return running === 0 && firstUnfinished === position;
    for (const key of call.keys) {
      const queue = queues.get(key) as KeyQueue;
      if (queue.positions[queue.head] !== position) return false;
    }
    return true;
  };

  return {
    add(call) {
      const position = calls.length;
      calls.push(call);
      state.push(0);
      waiting.push(position);
      if (call.barrier) barriers.push(position);
      for (const key of call.keys) {
        let queue = queues.get(key);
        if (!queue) {
          queue = { positions: [], head: 0 };
          queues.set(key, queue);
        }
        queue.positions.push(position);
      }
      return position;
    },
    take() {
      const started: Call[] = [];
      const barrier = nextBarrier();
      let cursor = 0;
      const stillWaiting: number[] = [];
      for (; cursor < waiting.length; cursor++) {
        const position = waiting[cursor] as number;
        // Everything behind an unfinished barrier waits, and nothing starts past the limit.
        if (position > barrier || running >= concurrency) break;
        if (canStart(position)) {
          state[position] = RUNNING;
          running++;
          started.push(calls[position] as Call);
          if ((calls[position] as ScheduledCall).barrier) {
            cursor++;
            break;
          }
        } else {
          stillWaiting.push(position);
        }
      }
      if (started.length > 0) waiting = stillWaiting.concat(waiting.slice(cursor));
      return started;
    },
    finish(position) {
      if (state[position] !== RUNNING) return;
      state[position] = FINISHED;
      running--;
      for (const key of (calls[position] as ScheduledCall).keys) {
        (queues.get(key) as KeyQueue).head++;
      }
      while (firstUnfinished < calls.length && state[firstUnfinished] === FINISHED) {
        firstUnfinished++;
      }
    },
  };
}
