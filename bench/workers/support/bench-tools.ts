import { defineTool, jsonSchema, type ToolCallBatch } from "@toolbatch/core";

/** The toolbatch queue the benchmarks use; the bare pg-boss round trips use {@link BARE_QUEUE}. */
export const QUEUE = "bench-toolbatch";
export const BARE_QUEUE = "bench-bare";

/** Now, on a clock every process on the machine shares (milliseconds since the epoch, sub-ms). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** Waits `ms` (nothing at all for 0), as a tool doing I/O would. */
export const pause = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** What a benchmark tool returns: when it ended, on {@link wallNow}'s clock. */
export interface WorkOutput {
  readonly endedAt: number;
}

/**
 * The one benchmark tool: waits `ms`, then says when it ended. The coordinator and the workers
 * hold the same definition; only the workers run it.
 */
export const workTool = defineTool({
  name: "work",
  description: "waits ms milliseconds",
  input: jsonSchema<{ ms: number }>({
    type: "object",
    properties: { ms: { type: "number" } },
    required: ["ms"],
  }),
  execute: async ({ ms }): Promise<WorkOutput> => {
    await pause(ms);
    return { endedAt: wallNow() };
  },
});

/** A batch of `size` calls of {@link workTool}, each waiting `ms`. */
export function workBatch(size: number, ms: number, prefix: string): ToolCallBatch {
  return {
    provider: "bench",
    complete: true,
    turn: null,
    calls: Array.from({ length: size }, (_, index) => ({
      id: `${prefix}_${index}`,
      name: "work",
      input: { ms },
      index,
    })),
  };
}
