import { defineTool, executeBatch, type ToolCallBatch } from "@toolbatch/core";
import { z } from "zod";
import { compare, quick, type Row } from "./support/compare.js";

/** 8 tools that each wait 50 ms, run as one batch, against one such tool alone. */
export async function parallelSpeedup(): Promise<Row[]> {
  const waitMs = quick ? 5 : 50;
  const wait = () => new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  const tools = Array.from({ length: 8 }, (_, i) =>
    defineTool({ name: `wait_${i}`, description: "waits", input: z.object({}), execute: wait }),
  );
  const batch = (size: number): ToolCallBatch => ({
    provider: "bench",
    complete: true,
    turn: null,
    calls: Array.from({ length: size }, (_, index) => ({
      id: `c${index}`,
      name: `wait_${index}`,
      input: {},
      index,
    })),
  });
  const eight = batch(8);
  return compare(
    `parallel speed-up (tools that wait ${waitMs} ms)`,
    { name: "one tool alone", run: wait },
    [
      { name: "executeBatch, 8 such tools", run: () => executeBatch(eight, tools), goal: 1.05 },
      {
        name: "executeBatch, 8 tools, parallel: false",
        run: () => executeBatch(eight, tools, { parallel: false }),
        note: "expected ~8x",
      },
    ],
    { timeMs: 1500 },
  );
}
