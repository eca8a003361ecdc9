import { type ToolCallBatch, type ToolResult, toolFailure, toolSuccess } from "@toolbatch/core";
import type { ResultCarrier } from "../wires/wire-profile.js";

/**
 * The results a recorded follow-up sent, as toolbatch results in call order: carriers pair with
 * calls by id, or by position where the vendor sends no ids. An output is the carrier's text, so
 * encoding it again must give the recorded text back. `undefined` when a call has no carrier.
 */
export function recordedResults(
  batch: ToolCallBatch,
  carriers: readonly ResultCarrier[],
): ToolResult[] | undefined {
  const byId = new Map(carriers.map((carrier) => [carrier.callId, carrier]));
  const results: ToolResult[] = [];
  for (const [position, call] of batch.calls.entries()) {
    const carrier = call.idSynthesized ? carriers[position] : byId.get(call.id);
    if (!carrier) return undefined;
    results.push(
      carrier.error
        ? toolFailure(call, "execution_failed", carrier.text)
        : toolSuccess(call, carrier.text),
    );
  }
  return results;
}
