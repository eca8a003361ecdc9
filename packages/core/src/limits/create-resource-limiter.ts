import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type {
  AcquireOptions,
  ResourceClaim,
  ResourceLimiter,
  ResourceRelease,
  ResourceWaitReason,
} from "./resource-limiter.js";
import {
  blockOf,
  createLine,
  firstWaiter,
  nextTokenAt,
  type ResourceLine,
  take,
  type Waiter,
} from "./resource-line.js";

/** At most `limit` calls of a resource start in any `intervalMs` milliseconds. */
export interface RateLimit {
  /** Starts allowed per interval; a positive integer. */
  readonly limit: number;
  /** The interval in milliseconds; a positive number. */
  readonly intervalMs: number;
}

/** The limits of one resource; each is optional, and a resource with neither is not limited. */
export interface ResourceLimit {
  /** The most calls using it in flight at once, across every batch; a positive integer or Infinity. */
  readonly concurrency?: number | undefined;
  /** The most starts per interval, across every batch. */
  readonly rate?: RateLimit | undefined;
}

/** The clock of an in-process limiter, for tests: its rate limits never depend on a real one. */
export interface ResourceLimiterOptions {
  /** The current time in milliseconds, never going back. Default `performance.now()`. */
  readonly now?: (() => number) | undefined;
  /**
   * Runs `run` once after `delayMs` and returns what cancels it, for the next rate token.
   * Default `setTimeout`.
   */
  readonly setTimer?: ((run: () => void, delayMs: number) => () => void) | undefined;
}

const defaultTimer = (run: () => void, delayMs: number) => {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
};

/**
 * Creates a limiter of shared resources in this process, for the executors' `limiter` option.
 * Give the same limiter to every batch, loop and conversation that must share a budget: each
 * resource has at most `concurrency` calls in flight and at most `rate.limit` starts in any
 * `rate.intervalMs` across all of them, and each lock key one call at a time.
 *
 * Calls wait first come, first served per resource, and a call takes all it uses at once or
 * nothing (it holds nothing while it waits), so no call waits for ever and none deadlocks.
 * Resources it declares no limit for are not limited; lock keys need no declaration.
 *
 * @throws {InvalidOptionError} when a limit is not a positive integer (or Infinity for
 *   `concurrency`), an interval not a positive number, or `now` or `setTimer` not a function.
 *
 * @example
 * const limiter = createResourceLimiter({ github: { concurrency: 2, rate: { limit: 10, intervalMs: 1000 } } });
 * const results = await executeBatch(batch, tools, { limiter });
 */
export function createResourceLimiter(
  limits: Readonly<Record<string, ResourceLimit>>,
  options: ResourceLimiterOptions = {},
): ResourceLimiter {
  const now = checkFunction("now", options.now) ?? (() => performance.now());
  const setTimer = checkFunction("setTimer", options.setTimer) ?? defaultTimer;
  const resources = readLimits(limits);
  // Made on first use and dropped once idle: lock keys are often ids or paths.
  const locks = new Map<string, ResourceLine>();

  const linesOf = (claim: ResourceClaim): ResourceLine[] => {
    const lines: ResourceLine[] = [];
    for (const key of claim.locks) {
      let line = locks.get(key);
      if (!line) {
        line = createLine(key, true, 1, Infinity, 0);
        locks.set(key, line);
      }
      lines.push(line);
    }
    for (const name of claim.resources) {
      const line = resources.get(name);
      if (line) lines.push(line);
    }
    return lines;
  };

  /** Grants the first waiters of these lines that can start now, and what that lets start. */
  const pump = (start: readonly ResourceLine[]) => {
    const time = now();
    const work = [...start];
    for (let line = work.pop(); line; line = work.pop()) {
      const waiter = firstWaiter(line);
      if (!waiter) {
        if (line.lock && line.inFlight === 0) locks.delete(line.name);
      } else if (tryGrant(waiter, time)) {
        work.push(...waiter.lines);
      }
    }
  };

  /** Grants a waiter all its lines when it can have them all; tells it why not otherwise. */
  const tryGrant = (waiter: Waiter, time: number): boolean => {
    let blocked: ResourceLine | undefined;
    let reason: ResourceWaitReason | undefined;
    for (const line of waiter.lines) {
      const first = firstWaiter(line) === waiter;
      const why = blockOf(line, time, first);
      if (why === undefined) continue;
      // The first in line sets the line's timer; those behind it wait for it anyway.
      if (why === "rate" && first) arm(line, time);
      if (!blocked) {
        blocked = line;
        reason = why;
      }
    }
    if (blocked) {
      tell(waiter, blocked, reason as ResourceWaitReason);
      return false;
    }
    waiter.done = true;
    for (const line of waiter.lines) take(line, time);
    waiter.grant();
    return true;
  };

  const arm = (line: ResourceLine, time: number) => {
    if (line.timer) return;
    line.timer = setTimer(
      () => {
        line.timer = undefined;
        pump([line]);
      },
      Math.max(0, nextTokenAt(line) - time),
    );
  };

  const releaseOf = (lines: readonly ResourceLine[]): ResourceRelease => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const line of lines) line.inFlight--;
      pump(lines);
    };
  };

  return {
    acquire(claim: ResourceClaim, acquireOptions?: AcquireOptions) {
      const signal = acquireOptions?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const lines = linesOf(claim);
      const time = now();
      if (lines.every((line) => !firstWaiter(line) && blockOf(line, time, true) === undefined)) {
        for (const line of lines) take(line, time);
        return releaseOf(lines);
      }
      return new Promise<ResourceRelease>((resolve, reject) => {
        const quit = () => {
          if (waiter.done) return;
          waiter.done = true;
          reject(signal?.reason);
          // It may have been first in line: those behind it may start now.
          pump(lines);
        };
        const waiter: Waiter = {
          lines,
          done: false,
          onWait: acquireOptions?.onWait,
          grant: () => {
            signal?.removeEventListener("abort", quit);
            resolve(releaseOf(lines));
          },
        };
        signal?.addEventListener("abort", quit, { once: true });
        for (const line of lines) line.queue.push(waiter);
        // It cannot start now (see above); this tells it why and sets its rate timers.
        tryGrant(waiter, time);
      });
    },
  };
}

/** Tells a waiter what it waits for, unless that did not change. */
function tell(waiter: Waiter, line: ResourceLine, reason: ResourceWaitReason) {
  if (waiter.told === line && waiter.toldReason === reason) return;
  waiter.told = line;
  waiter.toldReason = reason;
  try {
    waiter.onWait?.({ resource: line.name, reason });
  } catch {
    // A listener's failure must not stop the limiter granting others.
  }
}

function readLimits(limits: Readonly<Record<string, ResourceLimit>>): Map<string, ResourceLine> {
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw new InvalidOptionError("limits", limits, "an object of limits by resource name");
  }
  const lines = new Map<string, ResourceLine>();
  for (const [name, limit] of Object.entries(limits)) {
    const where = `limits[${JSON.stringify(name)}]`;
    if (typeof limit !== "object" || limit === null) {
      throw new InvalidOptionError(where, limit, "an object: { concurrency?, rate? }");
    }
    const { concurrency = Infinity, rate } = limit;
    if (concurrency !== Infinity && !isPositiveInteger(concurrency)) {
      throw new InvalidOptionError(
        `${where}.concurrency`,
        concurrency,
        "a positive integer or Infinity",
      );
    }
    if (rate !== undefined) {
      if (typeof rate !== "object" || rate === null) {
        throw new InvalidOptionError(`${where}.rate`, rate, "an object: { limit, intervalMs }");
      }
      if (!isPositiveInteger(rate.limit)) {
        throw new InvalidOptionError(`${where}.rate.limit`, rate.limit, "a positive integer");
      }
      if (
        !(typeof rate.intervalMs === "number" && rate.intervalMs > 0 && rate.intervalMs < Infinity)
      ) {
        throw new InvalidOptionError(
          `${where}.rate.intervalMs`,
          rate.intervalMs,
          "a positive number of milliseconds",
        );
      }
    }
    lines.set(
      name,
      createLine(name, false, concurrency, rate?.limit ?? Infinity, rate?.intervalMs ?? 0),
    );
  }
  return lines;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

function checkFunction<T>(option: string, value: T | undefined): T | undefined {
  if (value === undefined || typeof value === "function") return value;
  throw new InvalidOptionError(option, value, "a function");
}
