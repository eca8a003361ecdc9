import {
  type AnyTool,
  type BatchCheckpoint,
  type BatchExecution,
  type BatchOutcome,
  createToolSet,
  type ExecuteBatchOptions,
  executeBatch,
  type LoopBatches,
  type ResumableBatchesOptions,
  type ResumeBatchOptions,
  type RunBatchOptions,
  resumableBatches,
  resumeBatch,
  runBatch,
  startBatchExecution,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
  type ToolSet,
} from "@toolbatch/core";
import type { PgBoss } from "pg-boss";
import { createCallResults } from "./call-results.js";
import { InvalidQueueOptionError } from "./invalid-queue-option-error.js";
import { prepareQueue } from "./prepare-queue.js";
import { createQueueProtocol, type QueueProtocolOptions } from "./queue-protocol.js";
import { type RemoteContext, remoteTools } from "./remote-tools.js";

/** Options of {@link createQueueExecutor}. The protocol's (`queue`, `schema`) must match the workers'. */
export interface QueueExecutorOptions extends QueueProtocolOptions {
  /** pg-boss's schema (its constructor's `schema`), where the sweep reads job states. Default `pgboss`. */
  bossSchema?: string;
  /**
   * How often the coordinator looks at all its awaited calls in one query, in milliseconds: for
   * notifications it missed and for jobs pg-boss finished without a result. Default 1000.
   */
  sweepIntervalMs?: number;
  /** Seconds a call's job may run past the call's time limit before pg-boss expires it. Default 30. */
  graceSeconds?: number;
  /** Job expiry, in seconds, of a call without a time limit. Default 900 (pg-boss's default). */
  expireInSeconds?: number;
  /** How often pg-boss retries a call's job whose worker died or whose job expired. Default 2. */
  retryLimit?: number;
  /**
   * A call's trace context, sent in its job's data so the worker continues the trace (with the
   * worker's `runInContext`): text fields such as W3C `traceparent` and `tracestate`. With
   * `@toolbatch/otel`, the tracer's `injectTraceContext`, which carries the call's `execute_tool`
   * span. Called as each call's job is sent; a hook that throws, or returns anything but an object
   * of strings, sends no trace context and the call runs all the same. Default: none.
   */
  traceContext?: ((call: ToolCall) => Record<string, string> | undefined) | undefined;
}

/**
 * The batch-running functions of `@toolbatch/core`, running each call's tool on a worker
 * (`createToolWorker`) through pg-boss. Same contract, same results in call order, same events:
 * core's own executor schedules the calls (barriers, lock keys within the batch, concurrency,
 * time limits, abort, approvals, the resumable ledger); only `execute` crosses the queue.
 */
export interface QueueExecutor {
  /** As core's `executeBatch`. */
  executeBatch(
    batch: ToolCallBatch,
    tools: readonly AnyTool[] | ToolSet,
    options?: ExecuteBatchOptions,
  ): Promise<ToolResult[]>;
  /** As core's `startBatchExecution`. */
  startBatchExecution(
    tools: readonly AnyTool[] | ToolSet,
    options?: ExecuteBatchOptions,
  ): BatchExecution;
  /** As core's `runBatch`: with a `batchId`, the same batch run twice runs each call once. */
  runBatch(
    batch: ToolCallBatch,
    tools: readonly AnyTool[] | ToolSet,
    options?: RunBatchOptions,
  ): Promise<BatchOutcome>;
  /** As core's `resumeBatch`, in any process: calls already sent are awaited, not sent again. */
  resumeBatch(
    checkpoint: BatchCheckpoint,
    tools: readonly AnyTool[] | ToolSet,
    options?: ResumeBatchOptions,
  ): Promise<BatchOutcome>;
  /** As core's `resumableBatches`, for `runToolLoop({ batches })`: every step runs on the workers. */
  batches(options?: ResumableBatchesOptions): LoopBatches;
  /** Stops listening for results (calls still awaited stay unanswered). */
  close(): Promise<void>;
}

/**
 * Creates a queue executor on the application's started `PgBoss` instance: it creates the call
 * ledger's table and the queue when missing, and LISTENs for results on one dedicated connection
 * of pg-boss's (`boss.getDb().listen`); toolbatch opens no connection itself.
 *
 * @throws {UnsupportedDatabaseError} (as a rejection) when pg-boss's database cannot LISTEN or hold a connection.
 * @throws {InvalidQueueOptionError} (as a rejection) for an invalid option.
 */
export async function createQueueExecutor(
  boss: PgBoss,
  options: QueueExecutorOptions = {},
): Promise<QueueExecutor> {
  const protocol = createQueueProtocol(options);
  const sweepIntervalMs = positive("sweepIntervalMs", options.sweepIntervalMs ?? 1000);
  const bossSchema = options.bossSchema ?? "pgboss";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(bossSchema)) {
    throw new InvalidQueueOptionError("bossSchema", bossSchema, "pg-boss's schema name");
  }
  // Every option is checked before the database is touched.
  const graceSeconds = positive("graceSeconds", options.graceSeconds ?? 30);
  const expireInSeconds = positive("expireInSeconds", options.expireInSeconds ?? 900);
  const retryLimit = whole("retryLimit", options.retryLimit ?? 2);
  const { traceContext } = options;
  if (traceContext !== undefined && typeof traceContext !== "function") {
    throw new InvalidQueueOptionError("traceContext", traceContext, "a function");
  }
  const db = await prepareQueue(boss, protocol);
  const results = await createCallResults(db, protocol, { sweepIntervalMs, bossSchema });
  const context: RemoteContext = {
    boss,
    db,
    protocol,
    results,
    graceSeconds,
    expireInSeconds,
    retryLimit,
    traceContext,
  };
  // Each batch run gets its own stand-ins: their job expiry follows the batch's timeoutMs.
  const remote = (tools: readonly AnyTool[] | ToolSet, timeoutMs: number | undefined) =>
    remoteTools(context, createToolSet(tools).tools, timeoutMs);
  return {
    executeBatch: (batch, tools, options = {}) =>
      executeBatch(batch, remote(tools, options.timeoutMs), options),
    startBatchExecution: (tools, options = {}) =>
      startBatchExecution(remote(tools, options.timeoutMs), options),
    runBatch: (batch, tools, options = {}) =>
      runBatch(batch, remote(tools, options.timeoutMs), options),
    resumeBatch: (checkpoint, tools, options = {}) =>
      resumeBatch(checkpoint, remote(tools, options.timeoutMs), options),
    batches(batchOptions = {}) {
      // Core's resumable batches, run on stand-ins.
      const base = resumableBatches(batchOptions);
      return {
        ...base,
        run: (batch, tools, runOptions) =>
          base.run(batch, remote(tools, runOptions.timeoutMs), runOptions),
        resume: (checkpoint, tools, resumeOptions) =>
          base.resume(checkpoint, remote(tools, resumeOptions.timeoutMs), resumeOptions),
      };
    },
    close: () => results.close(),
  };
}

function positive(option: string, value: number): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new InvalidQueueOptionError(option, value, "a positive number");
}

function whole(option: string, value: number): number {
  if (Number.isInteger(value) && value >= 0) return value;
  throw new InvalidQueueOptionError(option, value, "a non-negative integer");
}
