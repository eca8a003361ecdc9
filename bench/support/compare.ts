import { Bench } from "tinybench";

/** One measured task: its median time per operation and its ratio to the run's baseline. */
export interface Row {
  readonly measure: string;
  readonly task: string;
  /** Median time of one operation, in microseconds. */
  readonly medianUs: number;
  /** `medianUs` over the baseline's `medianUs`, measured in the same run. */
  readonly ratio: number;
  /** The goal for this ratio, when the issue sets one. */
  readonly goal?: number;
  readonly note?: string;
}

/** How long each task is sampled; tiny under BENCH_QUICK=1 (CI runs the benchmarks so they cannot rot). */
export const quick = process.env.BENCH_QUICK === "1";

/**
 * Times a baseline and candidates in one tinybench run, interleaved by tinybench's own scheduling,
 * and reports each as a ratio to the baseline. Fast operations are repeated `inner` times per
 * sample so timer resolution does not dominate.
 */
export async function compare(
  measure: string,
  baseline: { name: string; run: () => unknown },
  candidates: ReadonlyArray<{ name: string; run: () => unknown; goal?: number; note?: string }>,
  options: { inner?: number; timeMs?: number; iterations?: number } = {},
): Promise<Row[]> {
  const inner = options.inner ?? 1;
  const bench = new Bench({
    time: quick ? 30 : (options.timeMs ?? 1500),
    warmupTime: quick ? 10 : 300,
    iterations: quick ? 3 : (options.iterations ?? 20),
  });
  const repeat = (run: () => unknown) => async () => {
    for (let i = 0; i < inner; i++) await run();
  };
  bench.add(baseline.name, repeat(baseline.run));
  for (const candidate of candidates) bench.add(candidate.name, repeat(candidate.run));
  await bench.run();
  const median = (name: string) => {
    const result = bench.getTask(name)?.result;
    if (!result || !("latency" in result))
      throw new Error(`task ${name} did not complete: ${result?.state}`);
    return (result.latency.p50 * 1000) / inner;
  };
  const base = median(baseline.name);
  return [
    { measure, task: baseline.name, medianUs: base, ratio: 1, note: "baseline" },
    ...candidates.map((candidate) => ({
      measure,
      task: candidate.name,
      medianUs: median(candidate.name),
      ratio: median(candidate.name) / base,
      ...(candidate.goal !== undefined ? { goal: candidate.goal } : {}),
      ...(candidate.note !== undefined ? { note: candidate.note } : {}),
    })),
  ];
}
