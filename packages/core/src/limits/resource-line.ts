import type { ResourceWait, ResourceWaitReason } from "./resource-limiter.js";

/** A call waiting at the in-process limiter, queued on each of its lines. */
export interface Waiter {
  readonly lines: readonly ResourceLine[];
  /** Granted, or given up: its lines skip it when they reach it. */
  done: boolean;
  /** Hands the call its release. */
  readonly grant: () => void;
  readonly onWait: ((wait: ResourceWait) => void) | undefined;
  /** What it was last told it waits for, so a wait that did not change is not told again. */
  told?: ResourceLine | undefined;
  toldReason?: ResourceWaitReason | undefined;
}

/**
 * One resource or lock key: its calls in flight, its last starts (for the rate), and the calls
 * waiting for it, first come first served.
 */
export interface ResourceLine {
  readonly name: string;
  /** A lock key: one call at a time, no rate. */
  readonly lock: boolean;
  readonly concurrency: number;
  /** Starts allowed per interval; Infinity when it has no rate limit. */
  readonly rate: number;
  readonly intervalMs: number;
  inFlight: number;
  /**
   * The times of its last `rate` starts, oldest at `next` once full: a start is allowed when the
   * oldest of them is `intervalMs` old, so no window of `intervalMs` holds more than `rate` starts
   * (a token bucket whose every token comes back `intervalMs` after it was taken).
   */
  readonly starts: number[];
  next: number;
  readonly queue: Waiter[];
  /** Index in `queue` of its first waiter that is not done. */
  head: number;
  /** Cancels the timer set for its next rate token, while one is set. */
  timer?: (() => void) | undefined;
}

/** A line with no call in flight and none waiting. */
export function createLine(
  name: string,
  lock: boolean,
  concurrency: number,
  rate: number,
  intervalMs: number,
): ResourceLine {
  return {
    name,
    lock,
    concurrency,
    rate,
    intervalMs,
    inFlight: 0,
    starts: [],
    next: 0,
    queue: [],
    head: 0,
  };
}

/** The first waiter of a line that is neither granted nor gone. */
export function firstWaiter(line: ResourceLine): Waiter | undefined {
  const { queue } = line;
  while (line.head < queue.length && (queue[line.head] as Waiter).done) line.head++;
  if (line.head === queue.length) {
    queue.length = 0;
    line.head = 0;
    return undefined;
  }
  // Drops the done ones from the front now and then, so a busy line's queue does not grow.
  if (line.head > 64 && line.head * 2 > queue.length) {
    queue.splice(0, line.head);
    line.head = 0;
  }
  return queue[line.head];
}

/**
 * Why a call cannot take a place on the line at `time`, or undefined when it can. `first`: it
 * is first in line (or the line has nobody waiting); otherwise it waits for those before it.
 */
export function blockOf(
  line: ResourceLine,
  time: number,
  first: boolean,
): ResourceWaitReason | undefined {
  if (line.inFlight >= line.concurrency) return line.lock ? "lock" : "concurrency";
  if (!hasToken(line, time)) return "rate";
  return first ? undefined : "queue";
}

/** Whether a start at `time` keeps the line within its rate. */
function hasToken(line: ResourceLine, time: number): boolean {
  return (
    line.starts.length < line.rate || time - (line.starts[line.next] as number) >= line.intervalMs
  );
}

/** When the line's next rate token comes: its oldest start, `intervalMs` later. */
export function nextTokenAt(line: ResourceLine): number {
  return (line.starts[line.next] as number) + line.intervalMs;
}

/** A call takes a place on the line at `time`: one more in flight, one more start. */
export function take(line: ResourceLine, time: number): void {
  line.inFlight++;
  if (line.rate === Infinity) return;
  if (line.starts.length < line.rate) {
    line.starts.push(time);
  } else {
    line.starts[line.next] = time;
    line.next = (line.next + 1) % line.rate;
  }
}
