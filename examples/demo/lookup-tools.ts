import { defineTool } from "@toolbatch/core";
import { z } from "zod";

/** How long each lookup takes, so the timeline has something to show. */
const LATENCY_MS: Record<string, number> = { Paris: 300, Tokyo: 500, Lima: 200, Oslo: 400 };
const FACTS: Record<string, { country: string; population: number }> = {
  Paris: { country: "France", population: 2_102_650 },
  Tokyo: { country: "Japan", population: 14_187_176 },
  Lima: { country: "Peru", population: 10_151_200 },
  Oslo: { country: "Norway", population: 717_710 },
};

/** The four cities the scripted model asks about, one lookup each, all in one turn. */
export const CITIES = Object.keys(LATENCY_MS);

/** The user's home city, as their profile holds it: looking it up reads their address. */
export const HOME_CITY = "Lima";

/**
 * What a lookup reads, for the access audit: a place, or, for the user's home city, where the
 * user lives (categories are free strings; `kind:detail` reads well in a log).
 */
export const cityAccesses = ({ city }: { city: string }): readonly string[] =>
  city === HOME_CITY ? ["pii:address"] : ["location"];

/**
 * What the application marks sensitive together: where the user lives combined with other places
 * in one set of results (where they live and where they may go, in one inference).
 */
export const SENSITIVE = [["pii:address", "location"]] as const;

/** Waits `ms`, as a tool doing real work would; rejects when the call is aborted. */
export const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Builds the lookup tool, a new object each time (as a fresh process would); `onRun` hears each
 * run as it starts: the approvals scene counts runs with it.
 */
export const createLookupCity = (
  onRun?: (city: string) => void,
  options: { readonly resource?: string } = {},
) =>
  defineTool({
    name: "lookup_city",
    description: "Country and population of a city",
    input: z.object({ city: z.string().describe("City name, e.g. Paris") }),
    accesses: cityAccesses,
    // The shared API the lookups call, when a scene limits it (createResourceLimiter).
    resources: options.resource ? () => options.resource : undefined,
    execute: async ({ city }, { signal }) => {
      onRun?.(city);
      await pause(LATENCY_MS[city] ?? 250, signal);
      const facts = FACTS[city];
      if (!facts) throw new Error(`no data for ${city}`);
      return { city, ...facts };
    },
  });

/** The one set of tool code every provider runs. */
export const lookupCity = createLookupCity();
