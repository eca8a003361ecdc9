import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// Issue 15 item 1, in a real process: under Node's default --unhandled-rejections=throw, one
// unhandled rejection ends the process. The child (test/processes/exotic-batch.ts, core from
// source through tsx) runs batches full of values whose description throws, with and without
// time limits, and must exit 0 with every call answered.

const core = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("./processes/exotic-batch.ts", import.meta.url));

function runChild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // NODE_OPTIONS could carry a --unhandled-rejections mode; the child must run on the default.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: core, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

it("a batch of exotic failures exits 0 with every call answered", { timeout: 60_000 }, async () => {
  const { code, stdout, stderr } = await runChild();
  expect({ code, stderr: stderr.slice(0, 2000) }).toStrictEqual({ code: 0, stderr: "" });
  const { calls, answered } = JSON.parse(stdout) as { calls: number; answered: number };
  expect(calls).toBeGreaterThan(0);
  expect(answered).toBe(calls);
});
