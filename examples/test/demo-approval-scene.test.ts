import { existsSync, readFileSync } from "node:fs";
import { parseToolLoopCheckpoint } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { runApprovalScene } from "../demo/approval-scene.js";
import { providers } from "../demo/providers.js";
import { pipedOutput } from "./piped-output.js";

describe("the demo's approvals scene, offline", () => {
  for (const provider of providers) {
    it(`${provider.name}: suspends to a checkpoint file, a fresh loop resumes it, each call runs once`, async () => {
      const { out, text } = pipedOutput();
      const lines: string[] = [];
      let whileSuspended: { exists: boolean; checkpoint: unknown } | undefined;
      const report = await runApprovalScene({
        provider,
        apiKey: undefined,
        log: (line) => lines.push(line),
        out,
        whileSuspended: (path) => {
          const exists = existsSync(path);
          whileSuspended = { exists, checkpoint: JSON.parse(readFileSync(path, "utf8")) };
        },
      });

      // While suspended, the checkpoint is on disk as valid JSON, a loop checkpoint with the
      // payment pending, and nothing has run the payment yet.
      expect(whileSuspended?.exists).toBe(true);
      const checkpoint = parseToolLoopCheckpoint(whileSuspended?.checkpoint);
      expect(checkpoint.step).toBe(0);
      expect(checkpoint.batch?.pending.map((request) => request.toolName)).toStrictEqual([
        "send_payment",
      ]);
      // The three lookups ran before the decision; the payment only after it, once.
      expect(report?.pending).toStrictEqual(["send_payment(Lima hotel)"]);
      expect([...(report?.ranBeforeDecision ?? [])].sort()).toStrictEqual([
        "lookup_city(Oslo)",
        "lookup_city(Paris)",
        "lookup_city(Tokyo)",
      ]);
      expect(report?.ranAfterDecision).toStrictEqual(["send_payment(Lima hotel)"]);
      // One follow-up request carried all four results.
      expect(report?.followUpResults).toBe(4);
      expect(report?.followUp).toMatch(/×4\]?$/);
      expect(report?.requestsAfterDecision).toBe(1);
      expect(report?.stopReason).toBe("done");
      expect(report?.checkpointBytes).toBeGreaterThan(0);
      // The timeline: the payment waits, the loop suspends, then the approval and its run.
      expect(text()).toMatch(/send_payment\(Lima hotel\) +·+ ?\| *✓ *█+\n/);
      expect(text()).toContain("· waited for approval   | the loop suspended   ✓ approved");
      expect(lines.join("\n")).toContain(
        "tool runs, both loops: lookup_city(Paris) ×1, lookup_city(Tokyo) ×1, lookup_city(Oslo) ×1, send_payment(Lima hotel) ×1",
      );
    });
  }
});
