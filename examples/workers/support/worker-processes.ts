import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A worker process of worker.ts. */
export interface DemoWorker {
  /** Its name in the call ledger: `worker-2 (pid 1234)`. */
  readonly name: string;
  readonly child: ChildProcess;
}

/**
 * Starts a worker process and waits for its "ready <name>" line. Its stdin is a pipe from the
 * demo, so a worker exits when the demo does, however the demo ends.
 */
export function startDemoWorker(connectionString: string, label: string): Promise<DemoWorker> {
  const script = fileURLToPath(new URL("../worker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, connectionString, label], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const name = /^ready (.+)$/m.exec(out)?.[1];
      if (name) resolve({ name, child });
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`${label} exited before it was ready (${code ?? signal})`)),
    );
  });
}

/** Sends SIGKILL, then waits until the process is gone. */
export function killNow(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
