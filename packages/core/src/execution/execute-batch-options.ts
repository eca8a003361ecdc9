import type { AccessAudit } from "../audit/access-record.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { MissingApprovalHandlerError } from "../errors/missing-approval-handler-error.js";
import type { ResourceLimiter } from "../limits/resource-limiter.js";
import type { AnyTool } from "../tools/define-tool.js";
import { createToolSet, type ToolSet } from "../tools/tool-set.js";
import type { ApproveHandler } from "./approval-gate.js";
import { createBatchRun } from "./batch-run.js";
import type { CallLedger } from "./call-ledger.js";
import type { ExecutionEvent } from "./execution-events.js";
import { createPresenter, type ErrorTextHook } from "./present-result.js";
import type { BatchRun } from "./run-settings.js";

/**
 * Options of {@link executeBatch} and {@link startBatchExecution}. Each accepts `undefined` as
 * absent, so options built from optional values compile under `exactOptionalPropertyTypes`.
 */
export interface ExecuteBatchOptions {
  /** False runs one call at a time, in batch order. Default true. */
  parallel?: boolean | undefined;
  /** The most calls running at once; a positive integer or `Infinity` (the default). */
  concurrency?: number | undefined;
  /**
   * Time limit per call in milliseconds; a tool's own `timeoutMs` wins. Default: none. A call past
   * it is answered `timeout` on time and its signal is aborted. A tool that ignores its signal
   * keeps the call's lock keys, barrier and concurrency place until it really ends, so nothing
   * they exclude overlaps it; a call held up by it waits at most its own limit, then is answered
   * `not_executed` without having run. The batch never waits for such a tool.
   */
  timeoutMs?: number | undefined;
  /**
   * Cancels the batch: running calls end `aborted` (their signal is aborted) and calls not yet
   * started end `not_executed`. The results still hold one result per call. As after a timeout,
   * a tool may run on after its call was answered; `call-release` reports when it ends.
   */
  signal?: AbortSignal | undefined;
  /**
   * Receives the audit trail, each event with the run's `batchId`: `batch-start`,
   * `approval-requested` and `approval-decided` (calls that need approval), `call-wait` (a call
   * waiting at the `limiter`), `call-start`, `call-end` (one per call), `call-release` (a call
   * answered before its tool ended, when the tool ends: possibly after `batch-end`), `batch-end`.
   * Called synchronously; an exception it throws is swallowed so it cannot cost a call its result.
   */
  onEvent?: ((event: ExecutionEvent) => void) | undefined;
  /**
   * Decides the calls of tools that need approval (`needsApproval`), in this process: resolves to
   * `{ approved: true }` or `{ approved: false, reason? }`. Required when any of the tools may
   * need approval (`MissingApprovalHandlerError` otherwise, before anything runs).
   *
   * Each such call is asked about as soon as its input is validated, and waits for its answer
   * while the rest of the batch runs. While it waits it holds nothing: no lock key, no barrier, no
   * place under `concurrency`, and its time limit has not started (`timeoutMs` counts from when it
   * starts running). It keeps its place in batch order, so the calls the batch's rules put after
   * it wait for it: later calls sharing one of its lock keys, a later `parallel: false` tool, and,
   * when its own tool is `parallel: false` (or the batch's `parallel` is false), every later call.
   * Other calls never wait for an approval.
   *
   * An approved call runs when the batch's rules allow. A denied one is answered `denied`, unrun,
   * with the reason and a request not to retry unless the user asks. A handler that throws,
   * rejects or answers anything else fails that call (`execution_failed`), unrun. A batch
   * cancelled while a call waits answers it `not_executed`; a decision that comes later is ignored.
   */
  approve?: ApproveHandler | undefined;
  /**
   * Maps the text of an error result before the model reads it, with the call in hand (and its
   * tool, when the call names one): hide an internal exception's message, add what the model
   * should do, translate. It applies to every failure the executor answers, whatever its code,
   * before `call-end` and before a ledger (`runBatch`) records it: the result's `error.message`
   * holds the mapped text, which every adapter's follow-up sends and checkpoints keep, and
   * `error.unmappedMessage` and `error.cause` keep the executor's text and the thrown value for
   * the application. A hook that throws or returns no string withholds the text: the model reads
   * that the call did not succeed and its code, never the exception. Default: the executor's text.
   *
   * @example
   * errorText: (result) =>
   *   result.error.code === "execution_failed" ? "The tool failed; try another way." : result.error.message
   */
  errorText?: ErrorTextHook | undefined;
  /**
   * The budget of shared resources this batch shares with others (`createResourceLimiter`, or a
   * distributed {@link ResourceLimiter}): give the same limiter to every batch, loop and
   * conversation that must share it. A call whose tool declares `resources` waits, once the
   * batch's rules let it start, until each resource has room for it in flight and in its rate;
   * and lock keys hold across every batch sharing the limiter (within a batch they already run in
   * batch order), so a call waits for one of another batch on its key, even one past its time
   * limit whose tool has not ended.
   *
   * A waiting call holds nothing of the limiter; in its batch it keeps its place (batch order
   * and its place under `concurrency`). `call-wait` events tell what it waits for. It waits at
   * most its own time limit (as long as it may run, counted from when it began to wait; it still
   * gets its whole limit to run once the budget came), then is answered
   * `not_executed`, naming the resource, and never starts later; a cancelled batch answers it
   * `not_executed` too. What a call took is given back when its tool really ends. Without a
   * limiter, `resources` limit nothing and lock keys hold within the batch.
   */
  limiter?: ResourceLimiter | undefined;
  /**
   * The access audit (`createAccessAudit({ sensitive?, redact? })`): the `batch-end` event
   * carries an `AccessRecord` as `access` (which calls ran, on which data categories their tools
   * declare in `accesses`, which combinations marked `sensitive` the batch returned to the model
   * together), plain JSON for an audit log. It is made once per batch, when the batch ends, and
   * only with `onEvent`; without this option the executor does no work for it.
   */
  audit?: AccessAudit | undefined;
}

/**
 * Checks the options and opens a batch run on them. `startBatchExecution` wraps the run in its
 * call-order checks; `executeBatch` hands it the whole batch at once, where none of those checks
 * can fail, so it uses the run bare and its bundle carries none of them. `runBatch` and
 * `resumeBatch` pass a `ledger` (see `CallLedger`).
 * @internal
 */
export function openBatchRun(
  tools: readonly AnyTool[] | ToolSet,
  options: ExecuteBatchOptions,
  ledger?: CallLedger,
): BatchRun {
  const toolSet = createToolSet(tools);
  const checked = checkExecuteBatchOptions(toolSet, options);
  return createBatchRun(toolSet, {
    ...checked,
    audit: options.audit,
    signal: options.signal,
    emit: options.onEvent ? guard(options.onEvent) : undefined,
    ledger,
    present: createPresenter(toolSet, options.errorText),
  });
}

/** The options as a batch run takes them, once checked. @internal */
export interface CheckedBatchOptions {
  readonly timeoutMs: number | undefined;
  readonly concurrency: number;
  readonly serial: boolean;
  readonly approve: ApproveHandler | undefined;
  readonly limiter: ResourceLimiter | undefined;
}

/**
 * Checks the executor's options against the tool set: `InvalidOptionError` for an invalid
 * `concurrency`, `timeoutMs`, `parallel`, `approve`, `errorText`, `limiter` or `audit`,
 * `MissingApprovalHandlerError` when a tool may need approval and no `approve` is given. `openBatchRun` runs it for every batch; `runToolLoop` runs it
 * before its first request, so a loop with an invalid option sends nothing (issue 16).
 * @internal
 */
export function checkExecuteBatchOptions(
  toolSet: ToolSet,
  options: Pick<
    ExecuteBatchOptions,
    "concurrency" | "timeoutMs" | "parallel" | "approve" | "errorText" | "limiter" | "audit"
  >,
): CheckedBatchOptions {
  const { approve, errorText, limiter, audit } = options;
  if (audit !== undefined && typeof audit?.record !== "function") {
    throw new InvalidOptionError("audit", audit, "an access audit (createAccessAudit)");
  }
  if (limiter !== undefined && typeof limiter?.acquire !== "function") {
    throw new InvalidOptionError("limiter", limiter, "a resource limiter (createResourceLimiter)");
  }
  if (errorText !== undefined && typeof errorText !== "function") {
    throw new InvalidOptionError("errorText", errorText, "a function");
  }
  if (approve === undefined) {
    // Any tool that may need approval: a function may say no, but only once a call comes.
    const gated = toolSet.tools.find((tool) => tool.needsApproval);
    if (gated) throw new MissingApprovalHandlerError(gated.name);
  } else if (typeof approve !== "function") {
    throw new InvalidOptionError("approve", approve, "a function");
  }
  return {
    timeoutMs: checkTimeout(options.timeoutMs),
    concurrency: checkConcurrency(options.concurrency),
    serial: checkParallel(options.parallel) === false,
    approve,
    limiter,
  };
}

function checkParallel(value: boolean | undefined): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new InvalidOptionError("parallel", value, "a boolean");
}

function checkConcurrency(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (value === Infinity || (Number.isInteger(value) && value >= 1)) return value;
  throw new InvalidOptionError("concurrency", value, "a positive integer or Infinity");
}

function checkTimeout(value: number | undefined): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  if (typeof value === "number" && value > 0) return value;
  throw new InvalidOptionError("timeoutMs", value, "a positive number of milliseconds");
}

function guard(listener: (event: ExecutionEvent) => void): (event: ExecutionEvent) => void {
  return (event) => {
    try {
      listener(event);
    } catch {
      // A listener's failure must not cost a call its result; see ExecuteBatchOptions.onEvent.
    }
  };
}
