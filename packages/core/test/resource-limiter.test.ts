import { describe, expect, it } from "vitest";
import {
  createResourceLimiter,
  InvalidOptionError,
  type ResourceClaim,
  type ResourceLimiter,
  type ResourceRelease,
  type ResourceWait,
} from "../src/index.js";
import { manualClock } from "./limiter-clock.js";
import { flush } from "./support.js";

// Issue 19: the in-process limiter on its own: all or nothing, first come first served per
// resource, rate tokens taken at the start, on a clock the test moves.

const claim = (resources: string[], locks: string[] = []): ResourceClaim => ({ locks, resources });

/** Acquires and records when the release came and what the waits were. */
function request(limiter: ResourceLimiter, what: ResourceClaim, signal?: AbortSignal) {
  const waits: ResourceWait[] = [];
  const state: { release?: ResourceRelease; error?: unknown } = {};
  const got = limiter.acquire(what, { signal, onWait: (wait) => waits.push(wait) });
  if (typeof got === "function") state.release = got;
  else
    void Promise.resolve(got).then(
      (release) => {
        state.release = release;
      },
      (error: unknown) => {
        state.error = error;
      },
    );
  return { waits, state, sync: typeof got === "function" };
}

describe("createResourceLimiter", () => {
  it("refuses a limit it cannot work with, naming the field (InvalidOptionError)", () => {
    const cases: [unknown, string][] = [
      [null, "limits"],
      [[], "limits"],
      [{ api: 3 }, 'limits["api"]'],
      [{ api: { concurrency: 0 } }, 'limits["api"].concurrency'],
      [{ api: { concurrency: 1.5 } }, 'limits["api"].concurrency'],
      [{ api: { concurrency: "2" } }, 'limits["api"].concurrency'],
      [{ api: { rate: 10 } }, 'limits["api"].rate'],
      [{ api: { rate: { limit: 0, intervalMs: 1000 } } }, 'limits["api"].rate.limit'],
      [{ api: { rate: { limit: Infinity, intervalMs: 1000 } } }, 'limits["api"].rate.limit'],
      [{ api: { rate: { limit: 2, intervalMs: 0 } } }, 'limits["api"].rate.intervalMs'],
      [{ api: { rate: { limit: 2, intervalMs: Infinity } } }, 'limits["api"].rate.intervalMs'],
      [{ api: { rate: { limit: 2 } } }, 'limits["api"].rate.intervalMs'],
    ];
    for (const [limits, option] of cases) {
      const thrown = (() => {
        try {
          createResourceLimiter(limits as never);
        } catch (error) {
          return error;
        }
      })();
      expect(InvalidOptionError.isInstance(thrown), option).toBe(true);
      expect((thrown as InvalidOptionError).option).toBe(option);
    }
    expect(() => createResourceLimiter({}, { now: 5 as never })).toThrow(
      /"now" must be a function/,
    );
    expect(() => createResourceLimiter({}, { setTimer: {} as never })).toThrow(/"setTimer"/);
    // Every option takes undefined as absent.
    createResourceLimiter({ api: { concurrency: undefined, rate: undefined } }, { now: undefined });
  });

  it("grants at once, without a promise, while there is room", () => {
    const limiter = createResourceLimiter({ api: { concurrency: 2 } });
    const first = request(limiter, claim(["api"], ["k"]));
    const unlimited = request(limiter, claim(["undeclared", "other"]));
    expect([first.sync, unlimited.sync]).toStrictEqual([true, true]);
    expect(first.waits).toStrictEqual([]);
  });

  it("concurrency: a call past the limit waits, told why, and starts when a place frees, first come first served", async () => {
    const limiter = createResourceLimiter({ api: { concurrency: 2 } });
    const a = request(limiter, claim(["api"]));
    const b = request(limiter, claim(["api"]));
    const c = request(limiter, claim(["api"]));
    const d = request(limiter, claim(["api"]));
    expect([a.sync, b.sync, c.sync, d.sync]).toStrictEqual([true, true, false, false]);
    expect(c.waits).toStrictEqual([{ resource: "api", reason: "concurrency" }]);
    expect(d.waits).toStrictEqual([{ resource: "api", reason: "concurrency" }]);
    b.state.release?.();
    // Released twice: given back once.
    b.state.release?.();
    await flush();
    expect([c.state.release !== undefined, d.state.release !== undefined]).toStrictEqual([
      true,
      false,
    ]);
    a.state.release?.();
    await flush();
    expect(d.state.release).toBeTypeOf("function");
  });

  it("rate: no window of intervalMs holds more than limit starts; the next start comes when the oldest token is back", async () => {
    const clock = manualClock();
    const limiter = createResourceLimiter(
      { api: { rate: { limit: 2, intervalMs: 1000 } } },
      clock.options,
    );
    const started: number[] = [];
    const take = () => {
      const got = request(limiter, claim(["api"]));
      const at = () => got.state.release && started.push(clock.now());
      if (got.sync) at();
      return { got, at };
    };
    take();
    clock.advance(400);
    take();
    clock.advance(100);
    const third = take();
    const fourth = take();
    expect(third.got.waits).toStrictEqual([{ resource: "api", reason: "rate" }]);
    // Behind the third, but what holds the resource back is its rate.
    expect(fourth.got.waits).toStrictEqual([{ resource: "api", reason: "rate" }]);
    // Its token is the first start's, back at 1000; the fourth's is the second's, at 1400.
    clock.advance(499);
    await flush();
    expect(third.got.state.release).toBeUndefined();
    clock.advance(1);
    await flush();
    third.at();
    expect(started).toStrictEqual([0, 400, 1000]);
    clock.advance(399);
    await flush();
    expect(fourth.got.state.release).toBeUndefined();
    clock.advance(1);
    await flush();
    fourth.at();
    expect(started).toStrictEqual([0, 400, 1000, 1400]);
    // A rate limit does not hold calls in flight: releasing nothing, nothing waits.
    expect(clock.pending).toBe(0);
  });

  it("all or nothing: a call waiting for a lock holds none of its resources, and an abort leaves no trace", async () => {
    const limiter = createResourceLimiter({ api: { concurrency: 1 } });
    const holder = request(limiter, claim([], ["k"]));
    const controller = new AbortController();
    const waiting = request(limiter, claim(["api"], ["k"]), controller.signal);
    expect(waiting.waits).toStrictEqual([{ resource: "k", reason: "lock" }]);
    // First come, first served: a later call for the free resource waits behind it.
    const behind = request(limiter, claim(["api"]));
    expect(behind.waits).toStrictEqual([{ resource: "api", reason: "queue" }]);
    controller.abort(new Error("given up"));
    await flush();
    expect(String(waiting.state.error)).toBe("Error: given up");
    expect(behind.state.release).toBeTypeOf("function");
    // The lock was never the aborted call's: its holder still has it.
    expect(request(limiter, claim([], ["k"])).sync).toBe(false);
    holder.state.release?.();
    expect(limiter.acquire(claim([]), { signal: AbortSignal.abort("late") })).rejects.toBe("late");
  });

  it("a call needing two resources is not starved by calls needing one of them", async () => {
    const limiter = createResourceLimiter({ x: { concurrency: 1 }, y: { concurrency: 1 } });
    const onX = request(limiter, claim(["x"]));
    const both = request(limiter, claim(["x", "y"]));
    const onY = [1, 2, 3].map(() => request(limiter, claim(["y"])));
    expect(onY.map((got) => got.sync)).toStrictEqual([false, false, false]);
    onX.state.release?.();
    await flush();
    expect(both.state.release).toBeTypeOf("function");
    expect(onY.some((got) => got.state.release)).toBe(false);
    both.state.release?.();
    await flush();
    expect(onY.map((got) => got.state.release !== undefined)).toStrictEqual([true, false, false]);
  });

  it("lock keys and resources are separate names, and a lock key needs no declaration", () => {
    const limiter = createResourceLimiter({ db: { concurrency: 1 } });
    expect(request(limiter, claim(["db"])).sync).toBe(true);
    expect(request(limiter, claim([], ["db"])).sync).toBe(true);
    expect(request(limiter, claim([], ["db"])).waits).toStrictEqual([
      { resource: "db", reason: "lock" },
    ]);
  });

  it("an onWait that throws costs nothing: the call is still granted in turn", async () => {
    const limiter = createResourceLimiter({});
    const holder = limiter.acquire(claim([], ["k"])) as ResourceRelease;
    const got = limiter.acquire(claim([], ["k"]), {
      onWait: () => {
        throw new Error("listener");
      },
    });
    void holder();
    expect(await got).toBeTypeOf("function");
  });
});
