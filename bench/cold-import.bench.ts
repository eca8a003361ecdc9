import { spawnSync } from "node:child_process";
import { quick } from "./support/compare.js";

/** Median wall time of a fresh Node process importing something, minus bare `node`. */
export interface ColdImportRow {
  readonly imports: string;
  readonly medianMs: number;
  readonly overBareNodeMs: number;
  readonly goalMs?: number;
}

function timeProcess(code: string): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: import.meta.dirname,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`cold import failed: ${child.stderr}`);
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Cold import of core + one adapter vs the AI SDK, each as a ratio-free difference to bare node. */
export function coldImports(): ColdImportRow[] {
  const runs = quick ? 3 : 21;
  const cases = [
    { imports: "bare node", code: "" },
    {
      imports: "@toolbatch/core + @toolbatch/openai",
      code: 'await import("@toolbatch/core"); await import("@toolbatch/openai");',
      goalMs: 10,
    },
    { imports: "ai + @ai-sdk/openai", code: 'await import("ai"); await import("@ai-sdk/openai");' },
  ];
  const samples = cases.map(() => [] as number[]);
  // Interleave the cases so drift on a shared machine hits them alike.
  for (let run = 0; run < runs; run++) {
    cases.forEach((entry, i) => {
      (samples[i] as number[]).push(timeProcess(entry.code));
    });
  }
  const bare = median(samples[0] as number[]);
  return cases.map((entry, i) => {
    const value = median(samples[i] as number[]);
    return {
      imports: entry.imports,
      medianMs: value,
      overBareNodeMs: value - bare,
      ...(entry.goalMs ? { goalMs: entry.goalMs } : {}),
    };
  });
}
