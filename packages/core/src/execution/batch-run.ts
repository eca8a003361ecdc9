import type { EndedBatch } from "../audit/access-record.js";
import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import { type ToolResult, toolFailure } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolSet } from "../tools/tool-set.js";
import { type GateContext, gateCall } from "./approval-gate.js";
import { createBatchId } from "./batch-id.js";
import { type BatchScheduler, createBatchScheduler } from "./batch-scheduler.js";
import { cancelled, notRun, unknownTool } from "./call-failures.js";
import { batchEndEvent, callEndEvent, now } from "./execution-events.js";
import { createHeldUpCalls, type HeldUpCalls } from "./held-up-calls.js";
import { createResourceGate, giveBack } from "./resource-gate.js";
import { abortCall, type BatchIdentity, type RunnableCall, runCall } from "./run-call.js";
import type { BatchRun, RunSettings } from "./run-settings.js";
import { runnableEntry } from "./runnable-entry.js";
import { type Validated, validateCall } from "./validate-call.js";

// The reason given in two places.
const CANCELLED = "the batch was cancelled before it started";

/**
 * Runs one batch: validates calls as they are added, schedules them, starts them (`runCall`
 * runs each one's tool), and collects one result per call. Calls are added in batch order, all at
 * once or one by one as a stream completes them; the run ends once it is finished and every call
 * has its result. Every path to a result goes through `settle`, which keeps only the first result
 * of a call, so a tool that resolves after its timeout or an abort cannot overwrite what was
 * reported; what such a call holds is freed only when its tool ends (see `abandon`).
 *
 * One closure, not a class: a minifier shortens its variables, never a class's property names,
 * and the state and the steps that share it were most of the executor's bundle.
 *
 * It trusts its caller: calls come in batch order and `finish` is called once, with the batch
 * they came from. `startBatchExecution` checks that for its callers; `executeBatch` adds no calls
 * before `finish`, so its bundle carries none of those checks.
 */
export function createBatchRun(tools: ToolSet, settings: RunSettings): BatchRun {
  const { concurrency, timeoutMs, serial, signal, emit, approve, ledger, present, limiter } =
    settings;
  const { audit } = settings;
  // What the batch's tools see of it: its id (see ToolExecuteContext.batchId). Made now when
  // events name it, else when a tool or an approval first asks.
  const identity: BatchIdentity = { id: ledger?.batchId ?? (emit && createBatchId()), present };
  const batchId = identity.id;
  // openBatchRun refuses a tool that may need approval when there is no approve handler.
  const gating = approve && { approve, batch: identity, emit };
  const calls: ToolCall[] = [];
  const results: Array<ToolResult | undefined> = [];
  // Also marks a call as started (see skip), events or not.
  const startTimes: Array<number | undefined> = [];
  // Validated calls join the scheduler in batch order, even when a validator is asynchronous:
  // undefined while a call is validated, null once it will not run.
  const ready: Array<RunnableCall | null | undefined> = [];
  // Only a batch with a signal needs to find its running calls again.
  const running = signal ? new Set<RunnableCall>() : undefined;
  const startTime = emit ? now() : 0;
  let scheduler: BatchScheduler<RunnableCall> | undefined;
  // Made with the scheduler: only scheduled calls can be held up by abandoned ones.
  let held: HeldUpCalls | undefined;
  let readyHead = 0;
  let settled = 0;
  let sealed: ToolCallBatch | undefined;
  let finished = false;
  // No call starts any more: the batch was cancelled, or its turn cut off.
  let stopped = false;
  let anyScheduled = false;
  let announced = false;
  let pumping = false;
  let pumpAgain = false;
  let resolve: (results: ToolResult[]) => void;
  const done = new Promise<ToolResult[]>((settle) => {
    resolve = settle;
  });

  /** Records the first result of a call, in its model-facing form; later ones are ignored. */
  const settle = (index: number, answer: ToolResult) => {
    if (results[index] !== undefined) return;
    const result = present ? present(answer, calls[index] as ToolCall) : answer;
    results[index] = result;
    settled++;
    emit?.(callEndEvent(calls[index] as ToolCall, result, startTimes[index], batchId));
    endIfDone();
  };

  /** Resolves once the batch is finished and every call has its result. */
  const endIfDone = () => {
    if (!sealed || settled < calls.length) return;
    const batch = sealed;
    sealed = undefined;
    signal?.removeEventListener("abort", abort);
    if (emit) {
      // Made only when asked for, once per batch: the audit costs nothing per call.
      const ended = { batchId: batchId as string, batch, results, tools, startTimes, ready };
      const access = audit?.record(ended as EndedBatch);
      emit(batchEndEvent(batch, results as ToolResult[], startTime, batchId, access));
    }
    resolve(results as ToolResult[]);
  };

  /** Settles a call that will not run. */
  const drop = (index: number, result: ToolResult) => {
    ready[index] = null;
    settle(index, result);
  };

  /** Stops the batch: every registered call that has not started gets `not_executed`. */
  const skip = (why: string, cause?: unknown) => {
    stopped = true;
    held?.clear();
    gate?.clear();
    calls.forEach((call, index) => {
      if (results[index] === undefined && startTimes[index] === undefined) {
        settle(index, notRun(call, why, cause));
      }
    });
  };

  // Listens once, and only while the signal had not aborted: it runs at most once.
  const abort = () => {
    stopped = true;
    const reason: unknown = (signal as AbortSignal).reason;
    // Answered now; like a timed-out call, each keeps what it holds until its tool ends.
    for (const entry of running as Set<RunnableCall>) {
      abandon(entry, cancelled(entry.call, reason), reason);
    }
    // Every call still without a result has not started: a started one was running.
    skip(CANCELLED, reason);
  };

  if (signal?.aborted) stopped = true;
  else signal?.addEventListener("abort", abort, { once: true });

  /** Registers the next call of the batch and returns its index. */
  const register = (call: ToolCall): number => {
    calls.push(call);
    results.push(undefined);
    return calls.length - 1;
  };

  /** Registers a call and validates it; a valid one joins `ready` (see `accept`). */
  const prepare = (call: ToolCall) => {
    const index = register(call);
    ready.push(undefined);
    if (stopped) {
      drop(index, notRun(call, CANCELLED));
      return;
    }
    const tool = tools.get(call.name);
    if (!tool) {
      drop(index, unknownTool(call, tools));
      return;
    }
    if (call.inputError !== undefined) {
      drop(index, toolFailure(call, "invalid_input", call.inputError));
      return;
    }
    const validated = validateCall(call, tool);
    if (validated instanceof Promise) {
      void validated.then((settled) => {
        accept(index, tool, settled);
        flush();
      });
    } else {
      accept(index, tool, validated);
    }
  };

  const accept = (index: number, tool: AnyTool, validated: Validated) => {
    ready[index] = null;
    if (results[index] !== undefined) return;
    const entry = validated.ok
      ? runnableEntry(index, calls[index] as ToolCall, tool, validated.value, serial, timeoutMs)
      : validated;
    if ("ok" in entry) {
      settle(index, entry);
      return;
    }
    ready[index] = entry;
    if (tool.needsApproval) {
      entry.pending = true;
      void gateCall(entry, gating as GateContext).then((refusal) => decide(entry, refusal));
    }
  };

  /**
   * A call that waited for approval was decided (see `gateCall`): it leaves with its `denied` or
   * failure result, or may start. It waited outside the scheduler's rules for what it holds (see
   * BatchScheduler), so it starts like a call added now, in its place in batch order. A call
   * answered meanwhile (the batch was cancelled, the turn cut off) stays answered.
   */
  const decide = (entry: RunnableCall, refusal: ToolResult | undefined) => {
    entry.pending = false;
    const { index, position } = entry;
    if (results[index] !== undefined) return;
    if (refusal) {
      if (position !== undefined) scheduler?.drop(position);
      drop(index, refusal);
    } else if (position !== undefined) {
      (held as HeldUpCalls).joined(entry);
      (scheduler as BatchScheduler<RunnableCall>).admit(position);
    } else if (index < readyHead && !stopped) {
      // It came when the batch started without the scheduler: nothing constrains it.
      start(entry);
    }
    // Otherwise it has not reached the head of `ready` yet: flush starts or schedules it.
    pump();
  };

  /**
   * Schedules the validated calls at the head of `ready`, in batch order. When these are all the
   * batch's calls, nothing was scheduled before and nothing constrains them (no barrier, no lock,
   * no limit below their number), they start at once without scheduler bookkeeping: the common
   * case of a batch of independent calls.
   */
  const flush = () => {
    const entries: RunnableCall[] = [];
    while (readyHead < ready.length && ready[readyHead] !== undefined) {
      const entry = ready[readyHead++];
      // A call settled while an earlier one was still validating (a cut-off turn) never runs.
      if (entry && results[entry.index] === undefined) entries.push(entry);
    }
    if (!stopped && entries.length > 0) {
      // Only once the batch is finished and every call validated is the list the whole batch.
      const free =
        finished &&
        readyHead === ready.length &&
        !anyScheduled &&
        concurrency >= entries.length &&
        entries.every((entry) => !entry.barrier && entry.keys.length === 0);
      anyScheduled = true;
      if (free) {
        for (const entry of entries) {
          if (stopped) return;
          // One waiting for approval starts when approved (see `decide`).
          if (!entry.pending) start(entry);
        }
        return;
      }
      if (!scheduler) {
        scheduler = createBatchScheduler(concurrency);
        held = createHeldUpCalls(scheduler, concurrency, answerHeldUp);
      }
      for (const entry of entries) {
        (held as HeldUpCalls).joined(entry);
        entry.position = scheduler.add(entry, entry.pending);
      }
    }
    pump();
  };

  /**
   * Starts every scheduled call the scheduler allows now, then lets the calls held up by abandoned
   * ones wait their limit (see `HeldUpCalls`). A pump while this loop runs (from an event listener,
   * or a held-up call answered) only asks it to go round once more.
   */
  const pump = () => {
    if (!scheduler || stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    do {
      pumpAgain = false;
      for (const entry of scheduler.take()) {
        // A tool that starts may cancel the batch (synchronously, through the signal).
        if (stopped) break;
        start(entry);
      }
      if (!stopped) (held as HeldUpCalls).check();
    } while (pumpAgain && !stopped);
    pumping = false;
  };

  /**
   * Starts a call the batch's rules allow: at once, or, with a `limiter`, once it grants the
   * call's lock keys and resources (see `ResourceGate`).
   */
  const start = (entry: RunnableCall) => {
    if (entry.holdTimer !== undefined) held?.cancel(entry);
    if (gate && (entry.keys.length > 0 || entry.resources.length > 0)) gate.enter(entry);
    else run(entry);
  };

  /** Runs a call; it ends (see `end`) when the tool returns, throws or runs out of time. */
  const run = (entry: RunnableCall) => {
    running?.add(entry);
    const time = emit ? now() : 0;
    startTimes[entry.index] = time;
    const { call, input, tool } = entry;
    emit?.({ type: "call-start", call, input, description: tool.description, time, batchId });
    void (ledger ? ledger.run(entry, end, identity) : runCall(entry, end, identity));
  };

  /**
   * Ends a running call. On a timeout (`timeout` is its signal's reason) the call is answered,
   * but its tool may run on: see `abandon`. Otherwise its tool ended, and frees its place.
   */
  const end = (entry: RunnableCall, result: ToolResult, timeout?: DOMException) => {
    if (timeout) {
      abandon(entry, result, timeout);
      return;
    }
    clearTimeout(entry.timer);
    // Before the scheduler moves on: the next call in line takes the same lock keys.
    giveBack(entry);
    if (results[entry.index] === undefined) {
      running?.delete(entry);
      // A batch that started without the scheduler never makes one: no call can join it later.
      scheduler?.finish(entry.position as number);
      settle(entry.index, result);
    } else {
      release(entry, result);
    }
    if (scheduler) flush();
  };

  /**
   * Answers a running call before its tool ended (it timed out, or the batch was cancelled) and
   * aborts its signal. The batch does not wait for the tool, but the call keeps its lock keys,
   * barrier and concurrency place until the tool really ends (`release`), so nothing it
   * excludes overlaps a tool that ignores its signal (issue 15 item 3).
   */
  const abandon = (entry: RunnableCall, result: ToolResult, reason: unknown) => {
    clearTimeout(entry.timer);
    running?.delete(entry);
    if (scheduler) {
      (held as HeldUpCalls).abandoned(entry);
      scheduler.abandon(entry.position as number);
    }
    settle(entry.index, result);
    abortCall(entry, reason);
    pump();
  };

  /** The tool of a call answered early ended: the audit trail hears it, and its place is free. */
  const release = (entry: RunnableCall, outcome: ToolResult) => {
    if (scheduler) {
      (held as HeldUpCalls).released(entry);
      scheduler.finish(entry.position as number);
    }
    if (emit) {
      const time = now();
      const startTime = startTimes[entry.index] as number;
      const { call } = entry;
      const durationMs = time - startTime;
      emit({ type: "call-release", call, outcome, startTime, time, durationMs, batchId });
    }
  };

  /** Ends a call held up by an abandoned one past its own limit: it leaves, unrun. */
  const answerHeldUp = (entry: RunnableCall, result: ToolResult) => {
    (scheduler as BatchScheduler<RunnableCall>).drop(entry.position as number);
    settle(entry.index, result);
    pump();
  };

  // Only a batch given a limiter carries one: see `start`.
  const gate =
    limiter &&
    createResourceGate(limiter, batchId, emit, run, (entry, result) => {
      // It waited at the limiter, taken by the scheduler but unrun: it leaves, and its result.
      scheduler?.finish(entry.position as number);
      settle(entry.index, result);
      pump();
    });

  /** Tells `batch-start` once, before the first call: with the batch when it came whole. */
  const announce = (batch?: ToolCallBatch) => {
    if (announced || !emit) return;
    announced = true;
    emit({ type: "batch-start", ...(batch && { batch }), time: startTime, batchId });
  };

  return {
    add(call) {
      announce();
      prepare(call);
      flush();
    },
    finish(batch) {
      announce(batch);
      finished = true;
      const rest = batch.calls.slice(calls.length);
      if (!batch.complete) {
        // Complete calls that already run may finish; nothing else of a cut-off turn runs.
        for (const call of rest) register(call);
        skip("the turn was cut off before every call was complete");
      } else {
        for (const call of rest) prepare(call);
        flush();
      }
      sealed = batch;
      endIfDone();
      return done;
    },
  };
}
