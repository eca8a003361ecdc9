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
  type ToolCallBatch,
  type ToolResult,
  type ToolSet,
} from "@toolbatch/core";
import type { PgBoss } from "pg-boss";
import { createCallResults } from "./call-results.js";
import { InvalidQueueOptionError } from "./invalid-queue-option-error.js";
import { prepareQueue } from "./prepare-queue.js";
import { createQueueProtocol, type QueueProtocolOptions } from "./queue-protocol.js";
import { RemoteAnswers } from "./remote-answers.js";
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
  const db = await prepareQueue(boss, protocol);
  const results = await createCallResults(db, protocol, { sweepIntervalMs, bossSchema });
  const context: RemoteContext = {
    boss,
    db,
    protocol,
    results,
    graceSeconds: positive("graceSeconds", options.graceSeconds ?? 30),
    expireInSeconds: positive("expireInSeconds", options.expireInSeconds ?? 900),
    retryLimit: whole("retryLimit", options.retryLimit ?? 2),
  };
  // Each batch run gets its own stand-ins (their job expiry follows the batch's timeoutMs) and
  // its own record of the workers' failures, to put back where core wrapped them.
  const remote = (tools: readonly AnyTool[] | ToolSet, timeoutMs: number | undefined) => {
    const answers = new RemoteAnswers();
    const list = createToolSet(tools).tools;
    return { answers, tools: remoteTools(context, list, answers, timeoutMs) };
  };
  const withEvents = <T extends ExecuteBatchOptions>(options: T, answers: RemoteAnswers): T => {
    const { onEvent } = options;
    return onEvent ? { ...options, onEvent: (event) => onEvent(answers.event(event)) } : options;
  };
  const withStore = <T extends RunBatchOptions>(options: T, answers: RemoteAnswers): T => {
    const events = withEvents(options, answers);
    return options.store ? { ...events, store: answers.store(options.store) } : events;
  };
  return {
    async executeBatch(batch, tools, options = {}) {
      const run = remote(tools, options.timeoutMs);
      const answered = await executeBatch(batch, run.tools, withEvents(options, run.answers));
      return answered.map((result) => run.answers.result(result));
    },
    startBatchExecution(tools, options = {}) {
      const run = remote(tools, options.timeoutMs);
      const execution = startBatchExecution(run.tools, withEvents(options, run.answers));
      return {
        add: (call) => execution.add(call),
        finish: async (batch) =>
          (await execution.finish(batch)).map((result) => run.answers.result(result)),
      };
    },
    async runBatch(batch, tools, options = {}) {
      const run = remote(tools, options.timeoutMs);
      return run.answers.outcome(await runBatch(batch, run.tools, withStore(options, run.answers)));
    },
    async resumeBatch(checkpoint, tools, options = {}) {
      const run = remote(tools, options.timeoutMs);
      const outcome = await resumeBatch(checkpoint, run.tools, withStore(options, run.answers));
      return run.answers.outcome(outcome);
    },
    batches(batchOptions = {}) {
      // Core's resumable batches, given stand-ins and a store that keeps the workers' failures.
      const answers = new RemoteAnswers();
      const base = resumableBatches({
        ...batchOptions,
        ...(batchOptions.store ? { store: answers.store(batchOptions.store) } : {}),
      });
      const stand = (tools: readonly AnyTool[], timeoutMs: number | undefined) =>
        remoteTools(context, tools, answers, timeoutMs);
      return {
        ...base,
        run: async (batch, tools, runOptions) =>
          answers.outcome(
            await base.run(
              batch,
              stand(tools, runOptions.timeoutMs),
              withEvents(runOptions, answers),
            ),
          ),
        resume: async (checkpoint, tools, resumeOptions) =>
          answers.outcome(
            await base.resume(
              checkpoint,
              stand(tools, resumeOptions.timeoutMs),
              withEvents(resumeOptions, answers),
            ),
          ),
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
