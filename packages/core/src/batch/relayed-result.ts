import type { ToolResult } from "./tool-result.js";

const RELAYED: unique symbol = Symbol.for("toolbatch.relayed-result");

/** What {@link relayResult} returns: a call's whole result, for `execute` to return. */
export interface RelayedResult {
  readonly [RELAYED]: ToolResult;
}

/**
 * Answers a call with a whole result made where the call really ran (a worker process, a job
 * engine) instead of an output: return `relayResult(result)` from `execute`, and the executor
 * answers the call with that result as it is: its output (checked as any output is), or its
 * error code and message (a worker's `outcome_unknown`, `timeout` or `invalid_output` stays one,
 * where a throw would be `execution_failed`). The call id and name are the call's own, whatever
 * the result says. This is how an executor that runs calls elsewhere plugs into core's.
 *
 * @example
 * execute: async (input, { call, batchId }) => relayResult(await runOnWorker(batchId, call, input)),
 */
export function relayResult(result: ToolResult): RelayedResult {
  return { [RELAYED]: result };
}

/** The result a tool relayed, when its output is one. */
export function readRelayed(output: unknown): ToolResult | undefined {
  return typeof output === "object" && output !== null && RELAYED in output
    ? (output as RelayedResult)[RELAYED]
    : undefined;
}
