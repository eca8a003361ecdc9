import { compare, quick, type Row } from "../support/compare.js";
import { type WorkOutput, wallNow, workBatch, workTool } from "./support/bench-tools.js";
import type { startBareSender } from "./support/fleet.js";
import type { QueueExecutor } from "./support/queue-api.js";

type BareSender = Awaited<ReturnType<typeof startBareSender>>;

/**
 * (a) Per-call overhead: one call at a time through toolbatch's queue executor against bare
 * pg-boss round trips, all on the same one worker process with the same queue settings.
 */
export async function perCallOverhead(executor: QueueExecutor, bare: BareSender): Promise<Row[]> {
  let round = 0;
  const oneCall = () => executor.executeBatch(workBatch(1, 0, `overhead_${round++}`), [workTool]);
  return compare(
    "one call round trip, 1 worker process (tool does nothing)",
    {
      name: "bare pg-boss: send → work → complete → result",
      run: () => bare.roundTrip("complete"),
    },
    [
      {
        name: "bare pg-boss, result told by the handler before complete",
        run: () => bare.roundTrip("handler"),
        note: "reference: cheapest hand-written round trip",
      },
      { name: "toolbatch queue executor, 1-call batch", run: oneCall, goal: 1.2 },
    ],
    { timeMs: 3000, iterations: 60 },
  );
}

/** One batch run: calls per second, and ms from the last tool's end to the batch resolving. */
async function timedBatch(executor: QueueExecutor, size: number, ms: number, prefix: string) {
  const started = wallNow();
  const results = await executor.executeBatch(workBatch(size, ms, prefix), [workTool]);
  const resolved = wallNow();
  let lastEnd = 0;
  for (const result of results) {
    if (!result.ok) throw new Error(`${prefix}: ${result.error.code} ${result.error.message}`);
    lastEnd = Math.max(lastEnd, (result.output as WorkOutput).endedAt);
  }
  return { perSecond: (size * 1000) / (resolved - started), tailMs: resolved - lastEnd };
}

const median = (values: readonly number[]) => percentile(values, 0.5);
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/** One row of the throughput measure. */
export interface ThroughputRow {
  readonly workers: number;
  readonly calls: number;
  readonly perSecond: number;
  /** perSecond over (workers × one worker's perSecond); the goal is ≥ 0.8. */
  readonly scaling: number;
}

export const TOOL_MS = quick ? 5 : 50;

/**
 * (b) Throughput of tools that wait {@link TOOL_MS} with `workers` worker processes (one call at
 * a time each): a batch of 20 calls per worker, the median of 3 batches (1 under BENCH_QUICK).
 */
export async function throughput(
  executor: QueueExecutor,
  workers: number,
  oneWorker: number | undefined,
): Promise<ThroughputRow> {
  const calls = (quick ? 2 : 20) * workers;
  const samples: number[] = [];
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    samples.push((await timedBatch(executor, calls, TOOL_MS, `tp${workers}_${run}`)).perSecond);
  }
  const perSecond = median(samples);
  return { workers, calls, perSecond, scaling: perSecond / (workers * (oneWorker ?? perSecond)) };
}

/** (c) The time from the last result to the batch's resolution, over many small batches. */
export interface ResolutionTail {
  readonly batches: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** Batches of 4 calls of 20 ms tools (2 ms under BENCH_QUICK), one after another. */
export async function resolutionTail(executor: QueueExecutor): Promise<ResolutionTail> {
  const batches = quick ? 3 : 40;
  const tails: number[] = [];
  for (let run = 0; run < batches; run++) {
    tails.push((await timedBatch(executor, 4, quick ? 2 : 20, `tail_${run}`)).tailMs);
  }
  return { batches, medianMs: median(tails), p95Ms: percentile(tails, 0.95) };
}
