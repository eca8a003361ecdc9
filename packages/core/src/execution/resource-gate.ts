import type { ToolResult } from "../batch/tool-result.js";
import type { ResourceLimiter, ResourceRelease, ResourceWait } from "../limits/resource-limiter.js";
import { describeValue } from "../values/describe-value.js";
import { failed, failedBefore, waitedOut } from "./call-failures.js";
import { type ExecutionEvent, now } from "./execution-events.js";
import { MAX_TIMER_MS, type RunnableCall } from "./run-call.js";

/**
 * Where a call the batch's rules let start asks the `limiter` for its lock keys and resources
 * (issue 19). The batch's scheduler keeps batch order and the batch's own limits; the limiter
 * adds what batches share: a lock key held in another batch, a resource's calls in flight and
 * its starts per interval. A call waiting here holds nothing of the limiter; in its batch it
 * keeps its place (batch order, its place under `concurrency`). It waits at most its own time
 * limit, then is answered `not_executed` naming what it waited for, and never starts later; a
 * call without a time limit waits until the budget comes or the batch is cancelled.
 */
export interface ResourceGate {
  /** Runs the call through `run` once the limiter grants what it uses: at once, when it can. */
  enter(entry: RunnableCall): void;
  /** Gives up every wait: the batch stopped, and answers the waiting calls itself. */
  clear(): void;
}

const LIMITER = "the resource limiter";

/**
 * Creates the gate of one batch run. `run` starts a call that got its budget; `answer` ends one
 * that will not run (its wait ran out, or the limiter failed): it leaves the scheduler and gets
 * its result.
 */
export function createResourceGate(
  limiter: ResourceLimiter,
  batchId: string | undefined,
  emit: ((event: ExecutionEvent) => void) | undefined,
  run: (entry: RunnableCall) => void,
  answer: (entry: RunnableCall, result: ToolResult) => void,
): ResourceGate {
  const waiting = new Set<RunnableCall>();

  /** Ends a wait, giving it up at the limiter unless `granted`. */
  const stop = (entry: RunnableCall, granted: boolean) => {
    clearTimeout(entry.waitTimer);
    if (!granted) entry.wait?.abort();
    entry.waitTimer = undefined;
    entry.wait = undefined;
    waiting.delete(entry);
  };

  /** Runs a call with what the limiter gave it, or answers it when that is no release. */
  const begin = (entry: RunnableCall, release: unknown) => {
    if (typeof release !== "function") {
      answer(
        entry,
        failedBefore(entry.call, LIMITER, `returned ${describeValue(release)}, not a release`),
      );
      return;
    }
    entry.grant = release as ResourceRelease;
    run(entry);
  };

  return {
    enter(entry) {
      const { call, keys, resources, timeoutMs } = entry;
      const controller = new AbortController();
      let told: ResourceWait | undefined;
      const onWait = (wait: ResourceWait) => {
        told = wait;
        const { resource, reason } = wait;
        emit?.({ type: "call-wait", call, resource, reason, time: now(), batchId });
      };
      let granted: ReturnType<ResourceLimiter["acquire"]>;
      try {
        granted = limiter.acquire(
          { locks: keys, resources },
          { signal: controller.signal, onWait },
        );
      } catch (thrown) {
        answer(entry, failed(call, thrown, LIMITER));
        return;
      }
      if (typeof (granted as PromiseLike<unknown> | undefined)?.then !== "function") {
        begin(entry, granted);
        return;
      }
      entry.wait = controller;
      waiting.add(entry);
      if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
        entry.waitTimer = setTimeout(() => {
          stop(entry, false);
          answer(entry, waitedOut(entry, timeoutMs, told));
        }, timeoutMs);
      }
      (granted as PromiseLike<ResourceRelease>).then(
        (release) => {
          // Given up meanwhile (its limit ran out, the batch stopped): it must not start.
          if (entry.wait !== controller) {
            giveBack({ grant: release });
            return;
          }
          stop(entry, true);
          begin(entry, release);
        },
        (thrown: unknown) => {
          if (entry.wait !== controller) return;
          stop(entry, true);
          answer(entry, failed(call, thrown, LIMITER));
        },
      );
    },
    clear() {
      for (const entry of waiting) stop(entry, false);
    },
  };
}

/**
 * Gives back what the limiter granted a call, once: when its tool really ends. What the release
 * returns or throws is ignored (a distributed limiter's own retries are its business).
 */
export function giveBack(entry: { grant?: ResourceRelease | undefined }): void {
  const release = entry.grant;
  if (!release) return;
  entry.grant = undefined;
  try {
    (release() as PromiseLike<void> | undefined)?.then(undefined, ignore);
  } catch {
    // See above.
  }
}

function ignore(): void {}
