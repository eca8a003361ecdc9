/**
 * The shared-resource scene of `pnpm demo` (issue 19): the four lookups call one geo API that
 * allows two requests in flight (`createResourceLimiter` and the tool's `resources`). The model
 * asks for all four at once; two run, the other two wait for the budget ('-' on the timeline,
 * the executor's `call-wait` events) and run as the first ones end.
 */
import { scriptedToolModel, startVendorServer } from "@toolbatch/contract/server";
import { createResourceLimiter } from "@toolbatch/core";
import { CITIES, createLookupCity } from "./lookup-tools.js";
import type { DemoProvider } from "./providers.js";
import { Timeline } from "./timeline.js";

/** The resource the lookups share, and its budget. */
export const GEO_API = "geo-api";
const GEO_API_CONCURRENCY = 2;

/** What the scene saw, from the executor's events. */
export interface RateLimitReport {
  /** The lookups that waited for the budget, in the order they began to wait. */
  readonly waited: readonly string[];
  /** The most lookups in flight at once (from call-start and call-end, whatever their timing). */
  readonly maxInFlight: number;
  /** How each lookup ended (`ok` or its error code), in the order they ended. */
  readonly outcomes: readonly string[];
  readonly stopReason: string;
}

/** Runs the scene offline on `provider` (a scripted model), printing its timeline to `out`. */
export async function runRateLimitScene(options: {
  readonly provider: DemoProvider;
  readonly out?: Pick<NodeJS.WriteStream, "isTTY" | "write">;
  readonly log?: (line: string) => void;
}): Promise<RateLimitReport> {
  const { provider, out = process.stdout, log = console.log } = options;
  log(`\n  ${GEO_API}: at most ${GEO_API_CONCURRENCY} lookups in flight (${provider.name})`);
  const server = await startVendorServer({
    vendor: provider.vendor,
    replies: scriptedToolModel({
      calls: CITIES.map((city) => ({ name: "lookup_city", arguments: { city } })),
      answer: (results) => `Offline answer from ${results.length} lookups.`,
    }),
  });
  const waited: string[] = [];
  const outcomes: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timeline = new Timeline("rate-limited", 900, out);
  const started = performance.now();
  try {
    const result = await provider.run({
      tools: [createLookupCity(undefined, { resource: GEO_API })],
      parallel: true,
      baseURL: server.url,
      apiKey: "offline",
      limiter: createResourceLimiter({ [GEO_API]: { concurrency: GEO_API_CONCURRENCY } }),
      onEvent: (event) => {
        if (event.type === "call-wait") {
          waited.push(`${(event.call.input as { city: string }).city} (${event.resource})`);
        } else if (event.type === "call-start") {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
        } else if (event.type === "call-end") {
          if (event.startTime !== undefined) inFlight--;
          outcomes.push(event.result.ok ? "ok" : event.result.error.code);
        }
        timeline.onEvent(event);
      },
    });
    timeline.finish(performance.now() - started);
    log(`    waited for ${GEO_API}: ${waited.join(", ") || "none"}`);
    return { waited, maxInFlight, outcomes, stopReason: result.stopReason };
  } finally {
    await server.close();
  }
}
