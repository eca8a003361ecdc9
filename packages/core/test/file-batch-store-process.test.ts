import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { createFileBatchStore } from "../src/file-store.js";
import { checkpointOf } from "./processes/checkpoint-of.js";

// The file store across real processes: compare-and-set must hold between processes that share
// nothing but the directory, and a process killed with SIGKILL in the middle of saving must leave
// the old checkpoint or the new one, never a torn one, and no lock that blocks the next save.

const core = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("./processes/save-checkpoint.ts", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "toolbatch-file-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function child(args: string[]): {
  process: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const started = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: core, env });
  let stdout = "";
  let stderr = "";
  started.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  started.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      started.on("error", reject);
      started.on("close", (code) => resolve({ code, stdout, stderr }));
    },
  );
  return { process: started, done };
}

it("of processes saving the same expected version at once, exactly one wins", {
  timeout: 120_000,
}, async () => {
  const directory = join(root, "race");
  const store = createFileBatchStore(directory);
  const id = "race/../batch";
  await store.save(id, checkpointOf(id, "start"), 0);
  const processes = 6;
  for (const expected of [1, 2, 3]) {
    // Every child spins until the same moment: loading tsx takes a while, so the moment is late.
    const goAt = Date.now() + 4_000;
    const runs = await Promise.all(
      Array.from(
        { length: processes },
        (_, index) =>
          child(["race", directory, id, String(expected), `p${index}`, String(goAt)]).done,
      ),
    );
    for (const run of runs)
      expect({ code: run.code, stderr: run.stderr.slice(0, 2000) }).toStrictEqual({
        code: 0,
        stderr: "",
      });
    const outcomes = runs.map(
      (run) => JSON.parse(run.stdout) as { won: boolean; version?: number },
    );
    const winners = outcomes.flatMap((outcome, index) => (outcome.won ? [index] : []));
    expect(winners, JSON.stringify(outcomes)).toHaveLength(1);
    expect(outcomes[winners[0] as number]?.version).toBe(expected + 1);
    const stored = await store.load(id);
    expect(stored).toStrictEqual({
      checkpoint: checkpointOf(id, `p${winners[0]}`),
      version: expected + 1,
    });
    expect(readdirSync(directory).sort()).toStrictEqual(["batch-race_2f_2e_2e_2fbatch.json"]);
  }
});

it("a process killed with SIGKILL while saving leaves the old or the new checkpoint, never a torn one", {
  timeout: 120_000,
}, async () => {
  const directory = join(root, "kill");
  const store = createFileBatchStore(directory);
  const id = "killed";
  const seen = new Set<number>();
  for (let round = 0; round < 6; round++) {
    const churn = child(["churn", directory, id, String(200_000)]);
    // Let it save for a while, then kill it at a moment it does not choose.
    await new Promise<void>((resolve) => churn.process.stdout?.once("data", () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 400));
    churn.process.kill("SIGKILL");
    const run = await churn.done;
    expect(run.stderr.slice(0, 2000)).toBe("");
    const stored = await store.load(id);
    expect(stored).toBeDefined();
    const { checkpoint, version } = stored as NonNullable<typeof stored>;
    expect(checkpoint.batch.turn).toStrictEqual({ tag: `churn ${version}` });
    seen.add(version);
    // The next save goes through: the killed process's lock, if it held it, is broken at once
    // (its process is gone), and its temporary file removed.
    const next = await store.save(id, checkpointOf(id, `churn ${version + 1}`), version);
    expect(next).toBe(version + 1);
    const left = readdirSync(directory).filter((name) => !name.endsWith(".json"));
    expect(left).toStrictEqual([]);
  }
  expect(Math.max(...seen)).toBeGreaterThan(6);
  expect(JSON.parse(readFileSync(join(directory, "batch-killed.json"), "utf8")).batchId).toBe(id);
});
