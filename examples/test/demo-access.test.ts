import { createAccessAudit } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { describeAccess } from "../demo/describe-access.js";
import { createLookupCity, SENSITIVE } from "../demo/lookup-tools.js";
import { providers, startScriptedServer } from "../demo/providers.js";
import { runRateLimitScene } from "../demo/rate-limit-scene.js";
import { pipedOutput } from "./piped-output.js";

const provider = providers[0] as (typeof providers)[number];

describe("the demo's access audit lines, offline", () => {
  it.each([true, false])(
    "prints each turn of calls' categories and sensitive combinations (parallel: %s)",
    async (parallel) => {
      const server = await startScriptedServer(provider.vendor);
      try {
        const result = await provider.run({
          tools: [createLookupCity()],
          parallel,
          baseURL: server.url,
          apiKey: "offline",
          onEvent: () => {},
          audit: createAccessAudit({ sensitive: SENSITIVE }),
        });
        const lines = describeAccess(result.steps);
        if (parallel) {
          // The four lookups returned together: the user's home city combined with the others.
          expect(lines).toStrictEqual([
            [
              "    access, turn 1 (chatcmpl-scripted): 4 of 4 calls ran, 4 results returned together, categories: location, pii:address",
              "      sensitive: pii:address + location across 4 calls",
            ].join("\n"),
          ]);
        } else {
          // One lookup per turn: no single follow-up holds both categories.
          expect(lines).toStrictEqual(
            ["location", "location", "pii:address", "location"].map(
              (categories, index) =>
                `    access, turn ${index + 1} (chatcmpl-scripted): 1 of 1 call ran, 1 result returned together, categories: ${categories}`,
            ),
          );
        }
      } finally {
        await server.close();
      }
    },
  );

  it("says when a turn broke off and returned nothing", () => {
    const access = {
      schemaVersion: 1 as const,
      batchId: "b",
      provider: "test",
      calls: [{ callId: "a", tool: "lookup_city", ran: true, outcome: "aborted" as const }],
      categories: [],
      sensitive: [],
    };
    const step = { index: 0, access } as unknown as Parameters<typeof describeAccess>[0][number];
    expect(describeAccess([step])).toStrictEqual([
      "    access, cut-off turn: 1 of 1 call ran, no results returned, categories: none",
    ]);
  });
});

describe("the demo's rate-limited resource scene, offline", () => {
  it("never has more than two lookups in flight; every one that waited ran, and the timeline shows it", async () => {
    const { out, text } = pipedOutput();
    const lines: string[] = [];
    const report = await runRateLimitScene({ provider, out, log: (line) => lines.push(line) });
    expect(report.stopReason).toBe("done");
    expect(report.maxInFlight).toBeLessThanOrEqual(2);
    expect(report.outcomes).toStrictEqual(["ok", "ok", "ok", "ok"]);
    expect(lines[0]).toContain("geo-api: at most 2 lookups in flight");
    expect(lines.at(-1)).toBe(`    waited for geo-api: ${report.waited.join(", ") || "none"}`);
    // Which lookups wait depends on when each ends; that a waiting one is drawn '-' does not.
    if (report.waited.length > 0) {
      expect(text()).toMatch(/lookup_city\(\w+\) +-+█+/);
      expect(text()).toContain("- waited for a shared resource");
    }
  });
});
