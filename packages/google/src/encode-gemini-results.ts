import {
  assertResultsMatchBatch,
  modelOutputOf,
  ResultMismatchError,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import type { GeminiTurn, WireContent, WirePart } from "./decode-gemini-part.js";

/** Who raises a mismatch error: its message starts `[toolbatch/google]`. */
const SOURCE = "toolbatch/google";

/** The role of the content that carries the results: `user` (REST, @google/genai), `function` (legacy SDK). */
export type GeminiResultsRole = "user" | "function";

/**
 * The follow-up of a Gemini turn: the model content verbatim (thoughtSignatures on the parts they
 * came on), then ONE content with one `functionResponse` per call, in call order. Gemini answers
 * 400 when the counts differ ("Please ensure that the number of function response parts is equal
 * to the number of function call parts"), and splitting a batch over several contents loses the
 * signatures (pipecat#3420). Each response names its call's function; the call's id is echoed
 * only when Gemini sent one: a synthesized id never reaches Google (Vertex answered 400 "Unknown
 * name id", vercel/ai#15664), and calls without ids pair by order and name, which keeps two calls
 * to one function apart.
 */
export function encodeGeminiFollowUp(
  batch: ToolCallBatch<GeminiTurn>,
  results: readonly ToolResult[],
  role: GeminiResultsRole,
): WireContent[] {
  assertResultsMatchBatch(batch, results, SOURCE);
  checkTurnMatchesCalls(batch);
  const turn: WireContent = { role: batch.turn.role, parts: [...batch.turn.parts] };
  if (batch.calls.length === 0) return batch.turn.parts.length > 0 ? [turn] : [];
  const parts: WirePart[] = batch.calls.map((call, index) => {
    const result = results[index] as ToolResult;
    return {
      functionResponse: {
        ...(call.idSynthesized ? {} : { id: call.id }),
        name: call.name,
        // Gemini's convention (FunctionResponse doc): "Use "output" key to specify function output
        // and "error" key to specify error details"; `response` must be an object, so every
        // output is wrapped, strings and arrays included, and a missing one becomes `null`. An
        // error carries its message, which says what happened and what to do. A success sends
        // what the model reads of it: the tool's toModelOutput mapping, if it has one.
        response: result.ok
          ? { output: modelOutputOf(result) ?? null }
          : { error: result.error.message },
      },
    };
  });
  return [turn, { role, parts }];
}

/** The batch's calls must be the turn's `functionCall` parts, in order: an edited batch is refused. */
function checkTurnMatchesCalls(batch: ToolCallBatch<GeminiTurn>): void {
  const wires = batch.turn.parts.flatMap((part) => (part.functionCall ? [part.functionCall] : []));
  const sameCalls =
    wires.length === batch.calls.length &&
    wires.every((wire, index) => {
      const call = batch.calls[index] as ToolCall;
      return (wire.name ?? "") === call.name && (call.idSynthesized || wire.id === call.id);
    });
  if (!sameCalls) {
    throw new ResultMismatchError(
      `The batch holds ${batch.calls.length} call(s) that are not its turn's ${wires.length} functionCall part(s), in order; pass the batch toBatch() or the stream assembler made, unchanged.`,
      -1,
      SOURCE,
    );
  }
}
