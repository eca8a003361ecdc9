import { type AnyTool, defineTool, jsonSchema, type ToolResult } from "@toolbatch/core";
import { PgBoss } from "pg-boss";
import {
  createQueueExecutor,
  type QueueExecutor,
  type QueueExecutorOptions,
} from "../../../src/queue/queue-executor.js";
import {
  createToolWorker,
  type ToolWorker,
  type ToolWorkerOptions,
} from "../../../src/queue/tool-worker.js";

/** A started PgBoss on the test database, quiet: no cron, supervision only when asked. */
export async function startBoss(
  connectionString: string,
  options: { supervise?: boolean } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schedule: false,
    supervise: options.supervise ?? false,
    ...(options.supervise ? { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 } : {}),
    useListenNotify: true,
    max: 12,
  });
  boss.on("error", () => {});
  await boss.start();
  return boss;
}

/** A coordinator and `workers` in-process workers, each on a PgBoss of its own. */
export interface QueueHarness {
  readonly executor: QueueExecutor;
  readonly workers: readonly ToolWorker[];
  stop(): Promise<void>;
}

export async function startHarness(
  connectionString: string,
  tools: readonly AnyTool[],
  options: {
    workers?: number;
    concurrency?: number;
    queue?: string;
    /** More options of the executor (`traceContext`). */
    executor?: QueueExecutorOptions;
    /** More options of every worker (`runInContext`). */
    worker?: ToolWorkerOptions;
  } = {},
): Promise<QueueHarness> {
  const queue = options.queue ? { queue: options.queue } : {};
  const coordinatorBoss = await startBoss(connectionString);
  const executor = await createQueueExecutor(coordinatorBoss, {
    ...queue,
    sweepIntervalMs: 500,
    ...options.executor,
  });
  const bosses = [coordinatorBoss];
  const workers: ToolWorker[] = [];
  for (let index = 0; index < (options.workers ?? 2); index += 1) {
    const boss = await startBoss(connectionString);
    bosses.push(boss);
    workers.push(
      await createToolWorker(boss, tools, {
        ...queue,
        concurrency: options.concurrency ?? 4,
        name: `worker-${index}`,
        ...options.worker,
      }),
    );
  }
  return {
    executor,
    workers,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await executor.close();
      await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, close: true })));
    },
  };
}

/** A result without its `cause` (the thrown value, which does not cross a process). */
export function withoutCause(result: ToolResult): ToolResult {
  if (result.ok) return result;
  const { code, message } = result.error;
  return { ...result, error: { code, message } };
}

const numbers = jsonSchema<{ a: number; b: number }>(
  {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  },
  {
    validate: (value) => {
      const { a, b } = (value ?? {}) as Record<string, unknown>;
      return typeof a === "number" && typeof b === "number"
        ? { value: { a, b } }
        : { issues: [{ message: "a and b must be numbers" }] };
    },
  },
);
const anything = jsonSchema<{ key?: string; value?: unknown }>({ type: "object" });

/** Pure tools of every kind of outcome, for comparing the queue with the process. */
export const pureTools: AnyTool[] = [
  defineTool({ name: "add", description: "adds", input: numbers, execute: ({ a, b }) => a + b }),
  defineTool({
    name: "locked_add",
    description: "adds under a lock",
    input: numbers,
    lock: ({ a }) => `k${a % 3}`,
    execute: async ({ a, b }) => ({ sum: a + b }),
  }),
  defineTool({
    name: "barrier_echo",
    description: "runs alone",
    input: anything,
    parallel: false,
    execute: (input) => input,
  }),
  defineTool({
    name: "throws",
    description: "always throws",
    input: anything,
    execute: (input) => {
      throw new Error(`refused ${JSON.stringify(input)}`);
    },
  }),
  defineTool({
    name: "bad_output",
    description: "returns what JSON cannot hold",
    input: anything,
    execute: () => ({ big: 10n }),
  }),
] as AnyTool[];
