/**
 * The approvals scene of `pnpm demo` (issue 16): one of four parallel calls, a payment, needs
 * approval and nobody is there to give it. The three lookups run while it waits; the loop suspends
 * `awaiting-approval` and its checkpoint is written to disk as JSON; a fresh loop (new tools, a
 * new adapter and client, the checkpoint read back from the file, as another process would)
 * resumes it with an approval, the payment runs, and the model gets all four results in one
 * follow-up. Every tool run is tallied across both loops: each call runs exactly once.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scriptedToolModel, startVendorServer } from "@toolbatch/contract/server";
import {
  type ApprovalRequest,
  defineTool,
  resumableBatches,
  type ToolLoopCheckpoint,
} from "@toolbatch/core";
import { createFileBatchStore } from "@toolbatch/core/file-store";
import { z } from "zod";
import { describeHistory } from "./describe-history.js";
import { createLookupCity, pause } from "./lookup-tools.js";
import type { DemoProvider, DemoRunOptions } from "./providers.js";
import { Timeline } from "./timeline.js";

export const APPROVAL_PROMPT =
  "Look up Paris, Tokyo and Oslo with lookup_city, and pay the Lima hotel 250 EUR with send_payment, all at once; then sum up.";

/** The scripted model's one turn of calls: the payment second, between the lookups. */
const CALLS = [
  { name: "lookup_city", arguments: { city: "Paris" } },
  { name: "send_payment", arguments: { to: "Lima hotel", amount: 250 } },
  { name: "lookup_city", arguments: { city: "Tokyo" } },
  { name: "lookup_city", arguments: { city: "Oslo" } },
];

/** The scene's tools, new objects for each loop; each run is appended to `runs` as it starts. */
function createTools(runs: string[]) {
  const sendPayment = defineTool({
    name: "send_payment",
    description: "Sends a payment in EUR",
    input: z.object({ to: z.string(), amount: z.number().positive() }),
    // Anything over 100 waits for a decision; the calls beside it do not.
    needsApproval: ({ amount }) => amount > 100,
    execute: async ({ to, amount }, { signal }) => {
      runs.push(`send_payment(${to})`);
      await pause(150, signal);
      return { paid: amount, to };
    },
  });
  return [createLookupCity((city) => runs.push(`lookup_city(${city})`)), sendPayment];
}

/** Options of {@link runApprovalScene}. */
export interface ApprovalSceneOptions {
  readonly provider: DemoProvider;
  /** The provider's API key; without one, a loopback server plays the model. */
  readonly apiKey: string | undefined;
  /** Called while the loop is suspended, with the checkpoint file's path, before it is resumed. */
  readonly whileSuspended?: (checkpointPath: string) => void | Promise<void>;
  /** Where the scene's lines go; default `console.log`. */
  readonly log?: (line: string) => void;
  /** Where the timeline is drawn; default stdout. */
  readonly out?: ConstructorParameters<typeof Timeline>[2];
}

/** What the scene saw, for the tests (the demo prints it). */
export interface ApprovalSceneReport {
  /** The tool runs (`lookup_city(Paris)`), in start order, until the loop suspended. */
  readonly ranBeforeDecision: readonly string[];
  /** The tool runs after the fresh loop resumed with the decision. */
  readonly ranAfterDecision: readonly string[];
  /** The calls the suspended loop waited on, as `send_payment(Lima hotel)`. */
  readonly pending: readonly string[];
  readonly checkpointBytes: number;
  /** How many results the resumed turn's one follow-up carried, and in what (describeHistory). */
  readonly followUpResults: number;
  readonly followUp: string;
  /** Requests the model got after the decision (offline only: the loopback server counts them). */
  readonly requestsAfterDecision: number | undefined;
  readonly stopReason: string;
}

/**
 * Runs the scene for one provider, prints its timeline and what happened, and reports it; it
 * reports `undefined` when the model (a real one) asked for nothing that needs approval.
 */
export async function runApprovalScene(
  options: ApprovalSceneOptions,
): Promise<ApprovalSceneReport | undefined> {
  const { provider, apiKey, log = console.log } = options;
  const dir = await mkdtemp(join(tmpdir(), "toolbatch-demo-approval-"));
  const runs: string[] = [];
  const timeline = new Timeline("approvals: suspend, checkpoint, resume", 900, options.out);
  const started = performance.now();
  const loop = async (more: Partial<DemoRunOptions>) => {
    const server = apiKey
      ? undefined
      : await startVendorServer({
          vendor: provider.vendor,
          replies: scriptedToolModel({
            calls: CALLS,
            answer: (results) =>
              `Offline answer from ${results.length} results: ${results.join(" ")}`,
          }),
        });
    try {
      const result = await provider.run({
        // New tools, and (in run) a new adapter and client: nothing is shared with the other loop.
        tools: createTools(runs),
        parallel: true,
        baseURL: server?.url,
        apiKey: apiKey || "offline",
        onEvent: timeline.onEvent,
        prompt: APPROVAL_PROMPT,
        // The file store keeps the batch's ledger: a call that ran is never run again on resume.
        batches: resumableBatches({ store: createFileBatchStore(join(dir, "batches")) }),
        ...more,
      });
      return { result, requests: server?.requests.length };
    } finally {
      await server?.close();
    }
  };

  try {
    const { result: first } = await loop({});
    timeline.suspend();
    const ranBeforeDecision = [...runs];
    if (first.stopReason !== "awaiting-approval") {
      timeline.finish(performance.now() - started);
      log(`    the model asked for nothing that needs approval (stop reason: ${first.stopReason})`);
      return undefined;
    }
    const checkpointPath = join(dir, "loop-checkpoint.json");
    const pendingPath = join(dir, "pending-approvals.json");
    const json = JSON.stringify(first.checkpoint);
    await writeFile(checkpointPath, json);
    await writeFile(pendingPath, JSON.stringify(first.pending));
    await options.whileSuspended?.(checkpointPath);

    // The fresh loop knows only the files, as another process would.
    const checkpoint = JSON.parse(await readFile(checkpointPath, "utf8")) as ToolLoopCheckpoint;
    const pending = JSON.parse(await readFile(pendingPath, "utf8")) as ApprovalRequest[];
    // A decision is bound to its request: the call id and the digest of tool name, id and input.
    const decisions = pending.map(({ callId, digest }) => ({ callId, digest, approved: true }));
    const { result: resumed, requests } = await loop({ resume: checkpoint, decisions });
    timeline.finish(performance.now() - started);

    const step = resumed.steps[0];
    const report: ApprovalSceneReport = {
      ranBeforeDecision,
      ranAfterDecision: runs.slice(ranBeforeDecision.length),
      pending: pending.map(({ toolName, input }) => describeCall(toolName, input)),
      checkpointBytes: Buffer.byteLength(json),
      followUpResults: step?.results.length ?? 0,
      followUp: describeHistory(step?.followUp ?? []),
      requestsAfterDecision: requests,
      stopReason: resumed.stopReason,
    };
    log(
      `    suspended (${first.stopReason}), waiting on ${report.pending.join(", ")}; ran meanwhile: ${report.ranBeforeDecision.join(", ")}`,
    );
    log(
      `    checkpoint written: ${checkpointPath} (${report.checkpointBytes} bytes, removed at the end)`,
    );
    log(
      `    a fresh loop read it back and resumed: ${decisions.map((d) => `approve ${d.callId} (digest ${d.digest.slice(0, 16)}…)`).join(", ")}`,
    );
    log(`    ran after the decision: ${report.ranAfterDecision.join(", ") || "nothing"}`);
    log(
      `    one follow-up with ${report.followUpResults} results: ${report.followUp}${requests === undefined ? "" : `, requests to the model after the decision: ${requests}`}`,
    );
    log(`    tool runs, both loops: ${tally(runs)}; stop reason: ${resumed.stopReason}`);
    return report;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const describeCall = (name: string, input: unknown) =>
  `${name}(${Object.values(input as Record<string, unknown>)[0]})`;

/** `lookup_city(Paris) ×1, ...`: how often each call ran, in first-run order. */
function tally(runs: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run, (counts.get(run) ?? 0) + 1);
  return [...counts].map(([run, count]) => `${run} ×${count}`).join(", ");
}
