import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { createFileBatchStore } from "../../src/file-store.js";
import { resumeBatch, type ToolResult } from "../../src/index.js";
import { killedBatchTools } from "../processes/killed-batch.js";

// Issue 16: a real process runs a batch with the file store and is killed with SIGKILL while a
// call's tool runs; this process resumes the batch from the file. The killed call is answered
// outcome_unknown (its tool is not idempotent) or runs again (it is); the call that finished
// before the kill never runs again.

const core = fileURLToPath(new URL("../..", import.meta.url));
const script = fileURLToPath(new URL("../processes/run-batch-until-killed.ts", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "toolbatch-run-batch-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the child until its `hang` call started, then kills it with SIGKILL. */
async function runUntilKilled(batchId: string, idempotent: boolean): Promise<string> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, root, batchId, String(idempotent)],
    { cwd: core, env },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const closed = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve(signal));
  });
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("started call_1\n")) resolve();
    });
    // A child that dies before its call starts fails the test below, not by a timeout.
    child.on("close", () => resolve());
  });
  child.kill("SIGKILL");
  // It was killed, mid-call, and did not end on its own.
  expect(await closed).toBe("SIGKILL");
  expect(stderr.slice(0, 2000)).toBe("");
  return stdout;
}

const code = (result: ToolResult) => (result.ok ? "ok" : result.error.code);

for (const idempotent of [false, true]) {
  it(`a call killed mid-run is ${idempotent ? "run again (idempotent)" : "answered outcome_unknown"} on resume`, {
    timeout: 60_000,
  }, async () => {
    const batchId = `killed-${idempotent}`;
    expect(await runUntilKilled(batchId, idempotent)).toBe("started call_1\n");
    const store = createFileBatchStore(root);
    const stored = await store.load(batchId);
    expect(stored?.checkpoint.ledger.call_0?.state).toBe("settled");
    expect(stored?.checkpoint.ledger.call_1?.state).toBe("started");

    const ran: string[] = [];
    const tools = killedBatchTools(
      idempotent,
      () => "again",
      (callId) => ran.push(callId),
    );
    const outcome = await resumeBatch(stored?.checkpoint, tools, { store });
    if (outcome.status !== "complete") throw new Error("expected complete");
    expect(outcome.results.map(code)).toStrictEqual(
      idempotent ? ["ok", "ok"] : ["ok", "outcome_unknown"],
    );
    expect(ran).toStrictEqual(idempotent ? ["call_1"] : []);
    expect((await store.load(batchId))?.checkpoint).toStrictEqual(outcome.checkpoint);
  });
}
