import type { BatchWarning, StreamAssembler, ToolCallBatch } from "@toolbatch/core";
import { createGeminiTurnAssembler } from "./assemble-gemini-turn.js";
import type { GeminiTurn } from "./decode-gemini-part.js";
import {
  buildGeminiBatch,
  findCandidate,
  type GeminiDecodeOptions,
  type WireResponse,
} from "./decode-gemini-response.js";

/**
 * Assembles a `streamGenerateContent` stream. Each chunk is a small `GenerateContentResponse`
 * whose parts arrive whole: both calls of a batch in one chunk, or one per chunk, a trailing
 * `{ text: "", thoughtSignature }` part sometimes. A call is complete as soon as its part has
 * arrived whole, and `push` reports it then; a Vertex streamed call (`partialArgs`) when its
 * closing part arrives. The parts go through the same reader as `toBatch`, so the batch and its
 * turn equal the unstreamed ones. The batch is complete only if the last chunk says `STOP`.
 *
 * The chunks are read as they come: the legacy SDK's aggregated `result.response` (and its
 * ChatSession history) holds two copies of the last call when two calls share a chunk, and drops
 * every thoughtSignature (vendor-protocols.md 5.7), so never build the turn from it.
 */
export function createGeminiStreamAssembler(
  options: GeminiDecodeOptions,
): StreamAssembler<WireResponse, GeminiTurn> {
  const warnings: BatchWarning[] = [];
  const assembler = createGeminiTurnAssembler(options.ids, warnings);
  let finishReason: string | undefined;
  let finishMessage: string | undefined;
  let blockReason: string | undefined;
  let batch: ToolCallBatch<GeminiTurn> | undefined;

  return {
    push(chunk) {
      blockReason ??= chunk.promptFeedback?.blockReason;
      const candidate = findCandidate(chunk, options.candidate);
      if (!candidate) return [];
      assembler.role(candidate.content?.role);
      finishReason = candidate.finishReason || finishReason;
      finishMessage = candidate.finishMessage || finishMessage;
      return (candidate.content?.parts ?? []).flatMap((part) => assembler.append(part));
    },
    finish() {
      batch ??= buildGeminiBatch(
        options.provider,
        assembler.finish(),
        { finishReason, finishMessage, blockReason },
        warnings,
      );
      return batch;
    },
  };
}
