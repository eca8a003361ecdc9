import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Worker processes (real child processes running a script of this folder), each ready. */
export interface ChildWorkers {
  readonly children: readonly ChildProcess[];
  /** Everything the children wrote to stderr, for a failure message. */
  readonly stderr: () => string;
  /** Ends every child still running (SIGKILL) and waits for each to exit. */
  kill(): Promise<void>;
}

/** Starts `count` children of `script` with `args`; resolves once each printed "ready". */
export async function startChildWorkers(
  script: string,
  count: number,
  args: readonly string[],
): Promise<ChildWorkers> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  let stderr = "";
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx", path, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.stderr?.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
          });
          child.stdout?.on("data", (chunk: Buffer) => {
            if (chunk.toString().includes("ready")) resolve();
          });
          child.once("exit", (code, signal) =>
            reject(new Error(`worker exited before ready (${code ?? signal}):\n${stderr}`)),
          );
        }),
    ),
  );
  return {
    children,
    stderr: () => stderr,
    async kill() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGKILL");
            }),
        ),
      );
    },
  };
}
