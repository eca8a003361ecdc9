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
export const createLookupCity = (onRun?: (city: string) => void) =>
  defineTool({
    name: "lookup_city",
    description: "Country and population of a city",
    input: z.object({ city: z.string().describe("City name, e.g. Paris") }),
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
