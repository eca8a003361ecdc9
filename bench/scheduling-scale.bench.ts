import {
  createResourceLimiter,
  defineTool,
  executeBatch,
  jsonSchema,
  type ToolCallBatch,
} from "@toolbatch/core";
import { compare, quick, type Row } from "./support/compare.js";

/**
 * Scheduling cost at scale (issue 15 item 5): one batch of many no-op calls spread over 10 lock
 * keys, the same batch under a concurrency limit, and the lock keys taken from a shared limiter
 * as well (issue 19), against the same calls unconstrained (which skip the scheduler). The
 * scheduler's work per call must not grow with the batch: before it was linear, 40,000 calls over
 * 10 keys took 29.7 s against 0.1 s unconstrained.
 */
export async function schedulingScale(): Promise<Row[]> {
  const size = quick ? 1_000 : 100_000;
  // No validation and no output to check: what is left is the executor's own bookkeeping.
  const noop = defineTool({
    name: "noop",
    description: "does nothing",
    input: jsonSchema<{ key: string }>({ type: "object" }),
    lock: ({ key }) => key,
    execute: () => undefined,
  });
  const free = defineTool({
    name: "free",
    description: "does nothing",
    input: jsonSchema<{ key: string }>({ type: "object" }),
    execute: () => undefined,
  });
  const batch = (name: string): ToolCallBatch => ({
    provider: "bench",
    complete: true,
    turn: null,
    calls: Array.from({ length: size }, (_, index) => ({
      id: `c${index}`,
      name,
      input: { key: `key_${index % 10}` },
      index,
    })),
  });
  const locked = batch("noop");
  const limiter = createResourceLimiter({});
  const unconstrained = batch("free");
  const label = size.toLocaleString("en-US");
  return compare(
    `scheduling at scale (${label} no-op calls in one batch)`,
    {
      name: `${label} unconstrained calls`,
      run: () => executeBatch(unconstrained, [noop, free]),
    },
    [
      {
        name: `${label} calls over 10 lock keys`,
        run: () => executeBatch(locked, [noop, free]),
        goal: 3,
      },
      {
        name: `${label} calls, concurrency: 10`,
        run: () => executeBatch(unconstrained, [noop, free], { concurrency: 10 }),
      },
      {
        // Issue 19: the same lock keys also taken from a shared limiter, as across a loop's steps.
        name: `${label} calls over 10 lock keys, shared limiter`,
        run: () => executeBatch(locked, [noop, free], { limiter }),
        goal: 3,
      },
    ],
    { timeMs: 3000, iterations: 5 },
  );
}
