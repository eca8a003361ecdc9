import { hostname } from "node:os";
import { type AnyTool, createToolSet, type ToolResult, type ToolSet } from "@toolbatch/core";
import type { PgBoss } from "pg-boss";
import { holdCall } from "./call-locks.js";
import { type CallRunKey, readCallRun, settleCallRun, startCallRun } from "./call-runs.js";
import { InvalidQueueOptionError } from "./invalid-queue-option-error.js";
import { prepareQueue, type QueueDb } from "./prepare-queue.js";
import {
  type CallJobData,
  createQueueProtocol,
  type QueueProtocol,
  type QueueProtocolOptions,
  readCallJobData,
} from "./queue-protocol.js";
import {
  cancelledBeforeStart,
  outcomeUnknownOnWorker,
  toolMissingOnWorker,
} from "./queue-texts.js";
import { runWorkerCall } from "./run-worker-call.js";

/** Options of {@link createToolWorker}. The protocol's (`queue`, `schema`) must match the executor's. */
export interface ToolWorkerOptions extends QueueProtocolOptions {
  /**
   * How many calls this process runs at once (one pg-boss worker each). Each running call
   * holds one connection of pg-boss's pool (its locks' transaction): keep pg-boss's `max` above
   * it. Default 1.
   */
  concurrency?: number;
  /**
   * How often an idle worker asks for calls, in seconds. A new job wakes workers at once when
   * pg-boss runs with `useListenNotify` (the queue is created with `notify`), but a retried job
   * (its worker died, its job expired) wakes nobody: this bounds how long it waits. Default 1.
   */
  pollingIntervalSeconds?: number;
  /** This worker's name in the call ledger (`call_runs.worker`). Default `<hostname>:<pid>`. */
  name?: string;
  /**
   * Runs a call's tool in the trace context its job carries (the executor's `traceContext`), so
   * the spans the tool starts are children of the coordinator's span for the call: `trace` is the
   * job's carrier (`undefined` when it has none or a malformed one), and `run` must be called once,
   * its promise returned. With `@toolbatch/otel`, its `runInTraceContext`. Only the tool's run is
   * wrapped, not the worker's ledger and lock statements. A hook that throws, or never calls `run`,
   * costs the context: the tool runs without it. Default: none.
   */
  runInContext?:
    | ((trace: Record<string, string> | undefined, run: () => Promise<unknown>) => Promise<unknown>)
    | undefined;
}

/** The worker's {@link ToolWorkerOptions.runInContext}. */
type RunInContext = NonNullable<ToolWorkerOptions["runInContext"]>;

/** A running tool worker. */
export interface ToolWorker {
  /** The worker's name, as the call ledger records it. */
  readonly name: string;
  /** Stops fetching calls and waits for the calls running here to end. */
  stop(): Promise<void>;
}

/**
 * Runs calls sent by a queue executor (`createQueueExecutor`) in this process, with `tools`
 * (tools of the same names as the executor's). For each call it takes the call's lock, then its
 * lock keys (PostgreSQL advisory locks, held until the tool really ends, across every worker), and
 * consults the call ledger first, so that a call runs once: a call already settled is answered
 * from the ledger; one started by a worker that died is answered `outcome_unknown`, or run again
 * when its tool is `idempotent`; one cancelled before it started never runs.
 *
 * `boss` is the application's started `PgBoss` instance; toolbatch opens no connection itself.
 *
 * @throws {UnsupportedDatabaseError} (as a rejection) when pg-boss's database cannot LISTEN or hold a connection.
 * @throws {InvalidQueueOptionError} (as a rejection) for an invalid option.
 */
export async function createToolWorker(
  boss: PgBoss,
  tools: readonly AnyTool[] | ToolSet,
  options: ToolWorkerOptions = {},
): Promise<ToolWorker> {
  const protocol = createQueueProtocol(options);
  const toolSet = createToolSet(tools);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidQueueOptionError("concurrency", concurrency, "a positive integer");
  }
  const polling = options.pollingIntervalSeconds ?? 1;
  const { runInContext } = options;
  if (runInContext !== undefined && typeof runInContext !== "function") {
    throw new InvalidQueueOptionError("runInContext", runInContext, "a function");
  }
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const db = await prepareQueue(boss, protocol);
  const running = new Map<string, AbortController>();
  const listener = await db.listen(
    protocol.cancelChannel,
    (jobId) => running.get(jobId)?.abort(new DOMException("The call was cancelled.", "AbortError")),
    () => {},
  );
  const run = (job: { id: string; data: unknown; signal: AbortSignal }) => {
    const controller = new AbortController();
    running.set(job.id, controller);
    const signal = AbortSignal.any([job.signal, controller.signal]);
    return runJob(db, protocol, toolSet, name, job, signal, runInContext).finally(() =>
      running.delete(job.id),
    );
  };
  // One pg-boss worker per place, each fetching one job at a time. pg-boss 12 waits its polling
  // interval after every fetch, even one that brought a job (one worker with 50 ms tools ran 1.2
  // calls a second): each worker is notified by its own handler once a job ended, so it fetches
  // again at once while jobs come back, and waits only when the queue is empty.
  const workIds: string[] = [];
  for (let place = 0; place < concurrency; place++) {
    let workId: string | undefined;
    workId = await boss.work(
      protocol.queue,
      { batchSize: 1, pollingIntervalSeconds: polling, notifyPollingIntervalSeconds: polling },
      async ([job]) => {
        if (!job) return undefined;
        try {
          return await run(job);
        } finally {
          if (workId !== undefined) boss.notifyWorker(workId);
        }
      },
    );
    workIds.push(workId);
  }
  return {
    name,
    async stop() {
      await Promise.all(workIds.map((id) => boss.offWork(protocol.queue, { id, wait: true })));
      await listener.close();
    },
  };
}

/** Runs one delivery of a call's job; resolves with what pg-boss stores as the job's output. */
async function runJob(
  db: QueueDb,
  protocol: QueueProtocol,
  tools: ToolSet,
  worker: string,
  job: { id: string; data: unknown },
  signal: AbortSignal,
  runInContext: RunInContext | undefined,
) {
  const data = readCallJobData(job.data);
  if (!data) {
    throw new Error(
      `[toolbatch/pg-boss] Job ${job.id} on queue "${protocol.queue}" is not a toolbatch call's job (its data has no batchId, call and lockKeys).`,
    );
  }
  const key: CallRunKey = {
    jobId: job.id,
    batchId: data.batchId,
    callId: data.call.id,
    toolName: data.call.name,
  };
  const held = await holdCall(db, protocol, job.id, signal);
  try {
    const run = (tool: AnyTool) =>
      inContext(runInContext, data.trace, () => runWorkerCall(tool, data, signal));
    const result = await runHeld(db, protocol, tools, worker, key, data, held, signal, run);
    await held.commit();
    return result;
  } catch (error) {
    await held.release();
    throw error;
  }
}

async function runHeld(
  db: QueueDb,
  protocol: QueueProtocol,
  tools: ToolSet,
  worker: string,
  key: CallRunKey,
  data: CallJobData,
  held: Awaited<ReturnType<typeof holdCall>>,
  signal: AbortSignal,
  run: (tool: AnyTool) => Promise<ToolResult>,
) {
  const { call } = data;
  const settle = (result: Parameters<typeof settleCallRun>[3]) =>
    settleCallRun(held.db, protocol, key, result);
  // We hold the call's lock: whoever wrote a row before us has ended, or never will write again.
  const before = await readCallRun(db, protocol, key.jobId);
  if (before?.state === "settled" && before.result) return before.result;
  if (before?.state === "cancelled") return cancelledBeforeStart(call);
  const tool = tools.get(call.name);
  if (!tool) return settle(toolMissingOnWorker(call));
  let takeOver = false;
  if (before?.state === "started") {
    // The attempt that wrote it died before its tool ended: nothing recorded what it did.
    if (!tool.idempotent || before.cancelRequested) return settle(outcomeUnknownOnWorker(call));
    takeOver = true;
  }
  await held.lockKeys(data.lockKeys, signal);
  if (!(await startCallRun(db, protocol, key, worker, takeOver))) {
    // The coordinator cancelled it while we waited for its keys.
    return cancelledBeforeStart(call);
  }
  return settle(await run(tool));
}

/**
 * Runs the call through the application's `runInContext`, taking the result from the call's own
 * run, never from the hook: a hook that throws, rejects, returns something else, calls `run` twice
 * or not at all, costs the trace context, never the call, which runs once.
 */
async function inContext(
  hook: RunInContext | undefined,
  trace: Record<string, string> | undefined,
  runCall: () => Promise<ToolResult>,
): Promise<ToolResult> {
  if (!hook) return runCall();
  let ran: Promise<ToolResult> | undefined;
  const run = () => {
    ran ??= runCall();
    return ran;
  };
  try {
    const wrapped = Promise.resolve(hook(trace, run));
    // A hook that calls `run` at once (OpenTelemetry's `context.with`) is not awaited: the call's
    // own promise decides. One that calls it later is awaited until it did, or gave up.
    if (ran) wrapped.catch(() => {});
    else await wrapped;
  } catch {
    // The hook failed: the tool runs without the context (below), or ran already.
  }
  return ran ?? run();
}
