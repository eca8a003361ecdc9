import type { ResourceLimiterOptions } from "../src/index.js";

/**
 * A clock the test moves by hand, for `createResourceLimiter`'s `now` and `setTimer`: a rate
 * limit's tokens come back only when the test says time has passed.
 */
export function manualClock() {
  let time = 0;
  let timers: { at: number; run: () => void }[] = [];
  const options: ResourceLimiterOptions = {
    now: () => time,
    setTimer: (run, delayMs) => {
      const timer = { at: time + delayMs, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
  };
  return {
    options,
    now: () => time,
    /** Moves time on by `ms`, running each timer due on the way, in time order. */
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        time = Math.max(time, due.at);
        due.run();
      }
      time = end;
    },
    /** How many timers are set. */
    get pending() {
      return timers.length;
    },
  };
}
