import {
  type AnyTool,
  type LockKeys,
  relayResult,
  type ToolCall,
  type ToolExecuteContext,
} from "@toolbatch/core";
import type { PgBoss } from "pg-boss";
import type { CallResults } from "./call-results.js";
import { cancelCallRun } from "./call-runs.js";
import type { QueueDb } from "./prepare-queue.js";
import {
  type CallJobData,
  callJobId,
  orderLockKeys,
  type QueueProtocol,
  readTraceCarrier,
} from "./queue-protocol.js";
import { cancelledBeforeStart } from "./queue-texts.js";

/** What a coordinator's remote tools share: the queue, its results and its job settings. */
export interface RemoteContext {
  readonly boss: PgBoss;
  readonly db: QueueDb;
  readonly protocol: QueueProtocol;
  readonly results: CallResults;
  /** Seconds added to a call's time limit for its job's expiry. */
  readonly graceSeconds: number;
  /** The job expiry of a call without a time limit, in seconds. */
  readonly expireInSeconds: number;
  /** pg-boss retries of a call's job (a worker died or its job expired). */
  readonly retryLimit: number;
  /** The executor's `traceContext` option: a call's trace context for its job. */
  readonly traceContext: ((call: ToolCall) => Record<string, string> | undefined) | undefined;
}

/**
 * The coordinator's stand-ins for `tools`: same names, schemas, validation, lock keys, resources,
 * barriers, time limits and approvals, so core's executor schedules them exactly as it would the tools, but
 * `execute` sends the call's job and awaits its result, which it relays whole (`relayResult`: a
 * worker's `outcome_unknown` or `invalid_output` stays one). They are `idempotent`: sending a call
 * again names the same job (its id derives from the batch and call ids), which pg-boss refuses to
 * insert twice, and the worker's call ledger decides whether anything runs again.
 */
export function remoteTools(
  context: RemoteContext,
  tools: readonly AnyTool[],
  batchTimeoutMs: number | undefined,
): AnyTool[] {
  return tools.map((tool): AnyTool => {
    const timeoutMs = tool.timeoutMs ?? batchTimeoutMs;
    const remote: AnyTool = {
      name: tool.name,
      description: tool.description,
      get inputSchema() {
        return tool.inputSchema;
      },
      parallel: tool.parallel,
      ...(tool.lock ? { lock: tool.lock } : {}),
      // The coordinator's limiter (the batch's `limiter` option) asks for them, as in the process.
      ...(tool.resources ? { resources: tool.resources } : {}),
      ...(tool.timeoutMs !== undefined ? { timeoutMs: tool.timeoutMs } : {}),
      ...(tool.needsApproval ? { needsApproval: tool.needsApproval } : {}),
      idempotent: true,
      validate: tool.validate,
      execute: (input: never, execution: ToolExecuteContext) =>
        callRemotely(context, execution, {
          input,
          lockKeys: readKeys(tool, input),
          timeoutMs,
        }),
    };
    return remote;
  });
}

function readKeys(tool: AnyTool, input: never): string[] {
  // Core read them already, for the same input: a lock function that throws never gets here.
  const keys: LockKeys = tool.lock ? tool.lock(input) : undefined;
  if (keys === undefined || keys === null) return [];
  return orderLockKeys(typeof keys === "string" ? [keys] : keys);
}

async function callRemotely(
  context: RemoteContext,
  execution: ToolExecuteContext,
  request: { input: unknown; lockKeys: string[]; timeoutMs: number | undefined },
): Promise<unknown> {
  const { boss, db, protocol, results } = context;
  const { call, batchId, signal } = execution;
  const jobId = callJobId(batchId, call.id);
  const key = { jobId, batchId, callId: call.id, toolName: call.name };
  const answer = results.wait(jobId, call);
  const cancel = () => {
    cancelCallRun(db, protocol, key)
      .then(async (before) => {
        if (!before) return; // Started: its worker was told; its outcome comes as any other.
        results.answer(jobId, cancelledBeforeStart(call));
        await boss.cancel(protocol.queue, jobId);
      })
      .catch(() => {});
  };
  try {
    const trace = traceOf(context.traceContext, call);
    const data: CallJobData = {
      batchId,
      call,
      input: request.input,
      lockKeys: request.lockKeys,
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ...(trace ? { trace } : {}),
    };
    // A job that exists already (the batch sent twice, or resumed) is not inserted again: send
    // resolves null, and the existing job is awaited.
    await boss.send(protocol.queue, data, {
      id: jobId,
      expireInSeconds:
        request.timeoutMs === undefined
          ? context.expireInSeconds
          : Math.ceil(request.timeoutMs / 1000) + context.graceSeconds,
      retryLimit: context.retryLimit,
      retryDelay: 0,
    });
    results.sent(jobId);
    if (signal.aborted) cancel();
    else signal.addEventListener("abort", cancel, { once: true });
    return relayResult(await answer);
  } finally {
    signal.removeEventListener("abort", cancel);
    results.forget(jobId);
  }
}

/** The call's trace context from the application's hook; one that throws or returns garbage gives none. */
function traceOf(
  hook: RemoteContext["traceContext"],
  call: ToolCall,
): Record<string, string> | undefined {
  if (!hook) return undefined;
  try {
    return readTraceCarrier(hook(call));
  } catch {
    return undefined;
  }
}
