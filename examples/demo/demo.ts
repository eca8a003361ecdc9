/**
 * `pnpm demo`: one set of tool code through every adapter, via each vendor's real SDK. Offline by
 * default: loopback servers play a scripted model that asks for four independent lookups in one
 * turn, then answers from the results. With OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY
 * set, that provider talks to the real API instead. Each provider runs twice: parallel: true,
 * then parallel: false, each with a live timeline of its calls; then the approvals scene: one of
 * four parallel calls needs approval, the loop suspends to a checkpoint file and a fresh loop
 * resumes it (approval-scene.ts). Under each timeline, the access audit of each turn of calls:
 * which data categories the results returned to the model together, and the combinations marked
 * sensitive they met (describe-access.ts). Last, a rate-limited resource: four lookups on an API
 * that allows two at a time, the waits on the timeline (rate-limit-scene.ts).
 */
import type { VendorServer } from "@toolbatch/contract/server";
import { createAccessAudit } from "@toolbatch/core";
import { runApprovalScene } from "./approval-scene.js";
import { describeAccess } from "./describe-access.js";
import { describeHistory } from "./describe-history.js";
import { lookupCity, SENSITIVE } from "./lookup-tools.js";
import { providers, startScriptedServer } from "./providers.js";
import { runRateLimitScene } from "./rate-limit-scene.js";
import { Timeline } from "./timeline.js";

const bold = (text: string) =>
  process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[0m` : text;
const summary: string[] = [];

for (const provider of providers) {
  const apiKey = process.env[provider.apiKeyVariable];
  const mode = apiKey
    ? `real API (${provider.apiKeyVariable})`
    : "offline, scripted model on a loopback server";
  console.log(`\n${bold(provider.name)} — ${mode}`);
  const walls: Record<string, number> = {};
  for (const parallel of [true, false]) {
    let server: VendorServer | undefined;
    if (!apiKey) server = await startScriptedServer(provider.vendor);
    const timeline = new Timeline(`parallel: ${parallel}`, parallel ? 700 : 1900);
    const started = performance.now();
    try {
      const result = await provider.run({
        tools: [lookupCity],
        parallel,
        baseURL: server?.url,
        apiKey: apiKey || "offline",
        onEvent: timeline.onEvent,
        audit: createAccessAudit({ sensitive: SENSITIVE }),
      });
      const wall = performance.now() - started;
      walls[String(parallel)] = wall;
      timeline.finish(wall);
      for (const line of describeAccess(result.steps)) console.log(line);
      console.log(`    ${result.steps.length} model turn(s), stop reason: ${result.stopReason}`);
      console.log(
        `    follow-up sent after turn 1: ${describeHistory(result.steps[0]?.followUp ?? [])}`,
      );
    } finally {
      await server?.close();
    }
  }
  await runApprovalScene({ provider, apiKey });
  const ratio = (walls.false ?? 0) / (walls.true ?? 1);
  summary.push(
    `  ${provider.name.padEnd(28)} parallel ${walls.true?.toFixed(0)} ms, one at a time ${walls.false?.toFixed(0)} ms (${ratio.toFixed(1)}x)`,
  );
}

console.log(`\n${bold("A rate-limited resource")}`);
await runRateLimitScene({ provider: providers[0] as (typeof providers)[number] });

console.log(`\n${bold("Wall times")}\n${summary.join("\n")}`);
