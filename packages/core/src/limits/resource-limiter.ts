// The contract between the executor and a limiter of shared resources (issue 19). The executor
// asks it, for each call that uses lock keys or resources, once the batch's own rules let the
// call start; `createResourceLimiter` is the in-process one, and an executor on workers can hold
// the same budget in a database (all-or-nothing, FIFO per resource, asynchronous).

/**
 * Why a call waits at a limiter: `lock`, another call holds one of its lock keys; `concurrency`,
 * a resource has as many calls in flight as its limit allows; `rate`, a resource had as many
 * starts in its last interval as its rate allows; `queue`, earlier calls wait for the resource
 * (first come, first served, so none waits for ever).
 */
export type ResourceWaitReason = "lock" | "concurrency" | "rate" | "queue";

/** What a waiting call waits for, as a limiter reports it (see {@link AcquireOptions.onWait}). */
export interface ResourceWait {
  /** The resource, or the lock key, the call waits for. */
  readonly resource: string;
  /** Why it cannot start yet. */
  readonly reason: ResourceWaitReason;
}

/** What one call uses: each list sorted and without repeats. */
export interface ResourceClaim {
  /**
   * Its lock keys (the tool's `lock`): each is held by one call at a time, whichever batch it
   * belongs to. A lock key is a resource of concurrency 1 without a rate limit; lock keys and
   * resources are separate names, so a lock key "db" and a resource "db" are not the same.
   */
  readonly locks: readonly string[];
  /**
   * Its resources (the tool's `resources`), limited as the limiter declares them. A resource
   * the limiter declares no limit for is not limited.
   */
  readonly resources: readonly string[];
}

/** How a call waits: until the signal aborts, telling each wait to `onWait`. */
export interface AcquireOptions {
  /**
   * Gives up the wait: the acquisition rejects with the signal's reason and takes nothing. The
   * executor aborts it when the call's time limit runs out or its batch is cancelled.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Told when the call cannot start at once, and again whenever what it waits for changes. The
   * executor turns each into a `call-wait` event.
   */
  readonly onWait?: ((wait: ResourceWait) => void) | undefined;
}

/**
 * Gives back everything one acquisition took. The executor calls it once, when the call's tool
 * really ends (a call answered early, by a timeout or an abort, keeps what it holds until then).
 * What it returns or throws is ignored.
 */
export type ResourceRelease = () => void | PromiseLike<void>;

/**
 * A budget of shared resources, given to every batch that must share it (the executors'
 * `limiter` option): at most so many calls in flight per resource, at most so many starts per
 * interval, and one call at a time per lock key, across every batch and conversation that holds
 * the same limiter.
 *
 * An implementation must:
 * - grant all of a claim or nothing, and hold nothing for a call that waits (no deadlock: a
 *   distributed one takes rows or advisory locks in the sorted order the lists come in);
 * - serve each resource first come, first served, so no call waits for ever behind later ones;
 * - count a rate limit's start when it grants, since the call starts then;
 * - on `signal` abort, take nothing (or give back what it took) and reject.
 *
 * The executor asks only once the batch's own rules let a call start, so calls of one batch
 * still start in batch order on a lock key, and a call without lock keys or resources never asks.
 */
export interface ResourceLimiter {
  /**
   * Takes a place on every lock key and resource of `claim` at once: returns the release when
   * it can now (in process, without a promise), or a promise of it once the budget came.
   * Rejects when `options.signal` aborted first, or when the limiter failed (the call is then
   * answered `execution_failed`, unrun).
   */
  acquire(
    claim: ResourceClaim,
    options?: AcquireOptions,
  ): ResourceRelease | PromiseLike<ResourceRelease>;
}
