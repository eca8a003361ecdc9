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

/** The one set of tool code every provider runs. */
export const lookupCity = defineTool({
  name: "lookup_city",
  description: "Country and population of a city",
  input: z.object({ city: z.string().describe("City name, e.g. Paris") }),
  execute: async ({ city }, { signal }) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, LATENCY_MS[city] ?? 250);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    const facts = FACTS[city];
    if (!facts) throw new Error(`no data for ${city}`);
    return { city, ...facts };
  },
});
