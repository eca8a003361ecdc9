/**
 * `pnpm bench`: every benchmark, a table on stdout, and bench/results.md. Figures are ratios to a
 * baseline measured in the same run (absolute times on shared machines drift). BENCH_QUICK=1 runs
 * everything at tiny sizes (CI does, so nothing rots) and BENCH_OUT changes where results go.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { bundleSizes } from "./bundle-size.bench.js";
import { coldImports } from "./cold-import.bench.js";
import { eagerExecution } from "./eager-execution.bench.js";
import { executorOverhead } from "./executor-overhead.bench.js";
import { parallelSpeedup } from "./parallel-speedup.bench.js";
import { schedulingScale } from "./scheduling-scale.bench.js";
import { streamAssembly } from "./stream-assembly.bench.js";
import { quick, type Row } from "./support/compare.js";

// Read from node_modules directly: some packages (openai) do not export their package.json.
const version = (name: string) =>
  (
    JSON.parse(
      readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8"),
    ) as { version: string }
  ).version;
const verdict = (value: number, goal: number | undefined) =>
  goal === undefined
    ? ""
    : value <= goal
      ? `meets ≤ ${goal}`
      : `MISSES ≤ ${goal} (by ${((value / goal - 1) * 100).toFixed(0)}%)`;

const log = (text: string) => process.stdout.write(`${text}\n`);
log(`toolbatch benchmarks${quick ? " (BENCH_QUICK: tiny sizes, numbers not meaningful)" : ""}\n`);

const timed: Row[] = [];
for (const [name, run] of [
  ["executor overhead", executorOverhead],
  ["parallel speed-up", parallelSpeedup],
  ["stream assembly", streamAssembly],
  ["scheduling at scale", schedulingScale],
] as const) {
  log(`running ${name}...`);
  timed.push(...(await run()));
}
log("running eager execution...");
const eager = await eagerExecution();
log("measuring bundles...");
const bundles = await bundleSizes();
log("measuring cold imports...");
const imports = coldImports();

const lines: string[] = [];
lines.push(
  "## Timed measures (median per operation; ratio to the baseline of the same row group)",
  "",
);
lines.push("| measure | task | median | ratio | goal |", "|---|---|---:|---:|---|");
for (const row of timed) {
  const median =
    row.medianUs >= 1000
      ? `${(row.medianUs / 1000).toFixed(2)} ms`
      : `${row.medianUs.toFixed(2)} µs`;
  lines.push(
    `| ${row.measure} | ${row.task} | ${median} | ${row.ratio.toFixed(2)}× | ${verdict(row.ratio, row.goal)}${row.note && row.note !== "baseline" ? ` ${row.note}` : ""} |`,
  );
}
lines.push(
  "",
  "## Eager execution (calls complete 100 ms apart in the stream; tools take 400, 50, 250, 100 ms)",
  "",
);
lines.push("| strategy | median wall | latency limit | ratio | goal |", "|---|---:|---:|---:|---|");
for (const row of eager) {
  lines.push(
    `| ${row.strategy} | ${row.medianMs.toFixed(1)} ms | ${row.limitMs.toFixed(0)} ms | ${row.ratio.toFixed(3)}× | ${verdict(row.ratio, row.goal)} |`,
  );
}
lines.push("", "## Bundle size (esbuild, minified, gzip -9; zod and vendor SDKs external)", "");
lines.push("| bundle | minified | gzip | goal |", "|---|---:|---:|---|");
for (const row of bundles) {
  lines.push(
    `| ${row.bundle} | ${(row.minifiedBytes / 1024).toFixed(1)} KB | ${(row.gzipBytes / 1024).toFixed(1)} KB | ${verdict(row.gzipBytes / 1024, row.goalBytes ? row.goalBytes / 1024 : undefined)} |`,
  );
}
lines.push("", "## Cold import in a fresh Node process (median, minus bare `node`)", "");
lines.push("| imports | median | over bare node | goal |", "|---|---:|---:|---|");
for (const row of imports) {
  lines.push(
    `| ${row.imports} | ${row.medianMs.toFixed(1)} ms | +${row.overBareNodeMs.toFixed(1)} ms | ${verdict(row.overBareNodeMs, row.goalMs)} |`,
  );
}
const table = lines.join("\n");
log(`\n${table}\n`);

const cpu = cpus();
const header = [
  "# toolbatch benchmark results",
  "",
  `- date: ${new Date().toISOString()}`,
  `- machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform} ${process.arch}`,
  `- node: ${process.version}`,
  `- packages: @toolbatch/core ${version("@toolbatch/core")}, @toolbatch/openai ${version("@toolbatch/openai")}, openai ${version("openai")}, zod ${version("zod")}, ai ${version("ai")}, @ai-sdk/openai ${version("@ai-sdk/openai")}, tinybench ${version("tinybench")}, esbuild ${version("esbuild")}`,
  `- mode: ${quick ? "BENCH_QUICK (tiny sizes; figures not meaningful)" : "full"}`,
  "",
];
const analysisFile = new URL("./results-analysis.md", import.meta.url);
let analysis = "";
try {
  analysis = `\n${readFileSync(analysisFile, "utf8")}`;
} catch {
  // No analysis written yet.
}
const out = process.env.BENCH_OUT ?? new URL("./results.md", import.meta.url).pathname;
writeFileSync(out, `${header.join("\n")}${table}\n${analysis}`);
log(`wrote ${out}`);
