/**
 * Suspend and resume across two processes: one of four parallel calls (a payment over 100) needs
 * a decision and there is no one to ask, so the loop runs the three lookups, stops
 * `awaiting-approval` and writes its checkpoint; a fresh process resumes it with the decision, and
 * the model gets all four results in one follow-up. Each call runs at most once: the tools count
 * their runs in a file beside the checkpoint. Offline (a loopback server plays the model).
 *   pnpm --filter @toolbatch/examples exec tsx suspend-and-resume.ts          (both, approved)
 *   pnpm --filter @toolbatch/examples exec tsx suspend-and-resume.ts start <dir>
 *   pnpm --filter @toolbatch/examples exec tsx suspend-and-resume.ts resume <dir> approve|deny
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scriptedToolModel } from "@toolbatch/contract/server";
import {
  type ApprovalRequest,
  defineTool,
  resumableBatches,
  runToolLoop,
  type ToolLoopCheckpoint,
} from "@toolbatch/core";
import { createFileBatchStore } from "@toolbatch/core/file-store";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { z } from "zod";
import { offlineModel } from "./support/offline.js";

const PROMPT =
  "Look up Paris, Tokyo and Oslo with lookup_city, and pay the Lima hotel 250 EUR with send_payment, all at once; then sum up.";

/** The files this example keeps in `<dir>`, beside the file store's batches. */
const files = (dir: string) => ({
  checkpoint: join(dir, "loop-checkpoint.json"),
  pending: join(dir, "pending-approvals.json"),
  // One line per tool run, appended by the tools themselves: what shows that nothing ran twice.
  runs: join(dir, "tool-runs.log"),
});

/** The tools; each run appends a line to `runs`, in whichever process it happens. */
function toolsRecordingTo(runs: string) {
  const lookupCity = defineTool({
    name: "lookup_city",
    description: "Country of a city",
    input: z.object({ city: z.string() }),
    execute: ({ city }) => {
      appendFileSync(runs, `${process.pid} lookup_city ${city}\n`);
      return { city, found: true };
    },
  });
  const sendPayment = defineTool({
    name: "send_payment",
    description: "Sends a payment in EUR",
    input: z.object({ to: z.string(), amount: z.number().positive() }),
    needsApproval: ({ amount }) => amount > 100,
    execute: ({ to, amount }) => {
      appendFileSync(runs, `${process.pid} send_payment ${to}\n`);
      return { paid: amount, to };
    },
  });
  return [lookupCity, sendPayment];
}

/** The runs so far, counted by tool name. */
function countRuns(runs: string): string {
  const counts = new Map<string, number>();
  for (const line of readFileSync(runs, "utf8").split("\n").filter(Boolean)) {
    const name = line.split(" ")[1] ?? "";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(", ");
}

/** The loopback model: four calls in one turn, then an answer quoting every result it got. */
const startModel = () =>
  offlineModel(
    "openai",
    scriptedToolModel({
      calls: [
        { name: "lookup_city", arguments: { city: "Paris" } },
        { name: "send_payment", arguments: { to: "Lima hotel", amount: 250 } },
        { name: "lookup_city", arguments: { city: "Tokyo" } },
        { name: "lookup_city", arguments: { city: "Oslo" } },
      ],
      answer: (results) => `(offline model) ${results.length} results: ${results.join(" ")}`,
    }),
  );

/** Process 1: run the loop until it waits for the payment's decision, and save where it stands. */
async function start(dir: string): Promise<void> {
  const paths = files(dir);
  writeFileSync(paths.runs, "");
  const server = await startModel();
  const client = new OpenAI({ apiKey: "offline", baseURL: server.url });
  const result = await runToolLoop({
    adapter: openaiChat(),
    tools: toolsRecordingTo(paths.runs),
    request: { model: "gpt-4.1-mini", messages: [{ role: "user", content: PROMPT }] },
    send: (request) => client.chat.completions.create({ ...request, stream: false }),
    // No `approve`: with `batches`, the loop suspends instead. The file store keeps the batch's
    // ledger, so a call that ran here is never run again on resume.
    batches: resumableBatches({ store: createFileBatchStore(join(dir, "batches")) }),
  });
  await server.close();
  if (result.stopReason !== "awaiting-approval") {
    throw new Error(`expected the loop to suspend, it stopped ${result.stopReason}`);
  }
  writeFileSync(paths.checkpoint, JSON.stringify(result.checkpoint, null, 2));
  writeFileSync(paths.pending, JSON.stringify(result.pending, null, 2));
  console.log(`[start ${process.pid}] stop reason: ${result.stopReason}`);
  console.log(`[start ${process.pid}] ran: ${countRuns(paths.runs)}`);
  for (const request of result.pending) {
    console.log(
      `[start ${process.pid}] waits: ${request.toolName}(${JSON.stringify(request.input)}) ${request.callId}`,
    );
  }
  console.log(`[start ${process.pid}] pending: ${result.pending.length}, checkpoint saved`);
}

/** Process 2: read the checkpoint, decide the pending call, and finish the conversation. */
async function resume(dir: string, approved: boolean): Promise<void> {
  const paths = files(dir);
  const checkpoint = JSON.parse(readFileSync(paths.checkpoint, "utf8")) as ToolLoopCheckpoint;
  const pending = JSON.parse(readFileSync(paths.pending, "utf8")) as ApprovalRequest[];
  // A decision is bound to its request: the call id and the digest of tool name, id and input.
  const decisions = pending.map(({ callId, digest }) =>
    approved ? { callId, digest, approved } : { callId, digest, approved, reason: "no budget" },
  );
  const server = await startModel();
  const client = new OpenAI({ apiKey: "offline", baseURL: server.url });
  const result = await runToolLoop({
    adapter: openaiChat(),
    tools: toolsRecordingTo(paths.runs),
    send: (request) => client.chat.completions.create({ ...request, stream: false }),
    resume: checkpoint,
    decisions,
    batches: resumableBatches({ store: createFileBatchStore(join(dir, "batches")) }),
  });
  await server.close();
  const step = result.steps[0];
  console.log(`[resume ${process.pid}] decision: ${approved ? "approve" : "deny"}`);
  console.log(
    `[resume ${process.pid}] results of the suspended turn: ${step?.results.map((r) => `${r.name} ${r.ok ? "ok" : r.error.code}`).join(", ")}`,
  );
  console.log(`[resume ${process.pid}] requests to the model: ${server.requests.length}`);
  console.log(`[resume ${process.pid}] ran, both processes: ${countRuns(paths.runs)}`);
  console.log(`[resume ${process.pid}] stop reason: ${result.stopReason}`);
  console.log(`[resume ${process.pid}] answer: ${result.finalTurn?.content}`);
}

/** No arguments: both phases, each in a process of its own, in a temporary directory. */
function both(decision: "approve" | "deny"): void {
  const dir = mkdtempSync(join(tmpdir(), "toolbatch-suspend-"));
  const self = fileURLToPath(import.meta.url);
  const phase = (...args: string[]) => {
    // The loader the examples run with; resolved from this folder, where tsx is installed.
    const child = spawnSync(process.execPath, ["--import", "tsx", self, ...args], {
      cwd: dirname(self),
      stdio: "inherit",
    });
    if (child.status !== 0) throw new Error(`${args[0]} exited with ${child.status}`);
  };
  try {
    phase("start", dir);
    phase("resume", dir, decision);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [command, dir, decision] = process.argv.slice(2);
if (command === "start" && dir) await start(dir);
else if (command === "resume" && dir && (decision === "approve" || decision === "deny")) {
  await resume(dir, decision === "approve");
} else if (command === undefined) both("approve");
else {
  console.error("usage: suspend-and-resume.ts [start <dir> | resume <dir> approve|deny]");
  process.exitCode = 2;
}
