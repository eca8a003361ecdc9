import type {
  BatchWarning,
  CallIdGenerator,
  StreamAssembler,
  TokenUsage,
  ToolCallBatch,
} from "@toolbatch/core";
import { createGeminiTurnAssembler } from "./assemble-gemini-turn.js";
import { findCandidate, type WireResponse } from "./decode-gemini-candidate.js";
import type { GeminiTurn } from "./decode-gemini-part.js";
import { decodeGeminiUsage, readGeminiText } from "./decode-gemini-usage.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

/** Options every Gemini decoder takes. */
export interface GeminiDecodeOptions {
  /** The batch's provider name (`google-genai`, `google-generative-ai`). */
  readonly provider: string;
  /** The candidate to read. */
  readonly candidate: number;
  /** Where synthesized ids come from. */
  readonly ids: CallIdGenerator;
}

/**
 * Assembles a `streamGenerateContent` stream; `toBatch` reads a whole response as a stream of one
 * chunk. Each chunk is a small `GenerateContentResponse` whose parts arrive whole: both calls of a
 * batch in one chunk, or one per chunk, a trailing `{ text: "", thoughtSignature }` part
 * sometimes. A call is complete as soon as its part has arrived whole, and `push` reports it then;
 * a Vertex streamed call (`partialArgs`) when its closing part arrives. The batch is complete only
 * when the candidate ended `STOP` and no streamed call was cut (see `mapGeminiFinishReason`).
 *
 * The chunks are read as they come: the legacy SDK's aggregated `result.response` (and its
 * ChatSession history) holds two copies of the last call when two calls share a chunk, and drops
 * every thoughtSignature (vendor-protocols.md 5.7), so never build the turn from it.
 */
export function createGeminiStreamAssembler(
  options: GeminiDecodeOptions,
  warnings: BatchWarning[] = [],
): StreamAssembler<WireResponse, GeminiTurn> {
  const assembler = createGeminiTurnAssembler(options.ids, warnings);
  let role: string | undefined;
  let finishReason: string | undefined;
  let finishMessage: string | undefined;
  let blockReason: string | undefined;
  let usage: TokenUsage | undefined;
  let responseId: string | undefined;
  let batch: ToolCallBatch<GeminiTurn> | undefined;

  const build = (): ToolCallBatch<GeminiTurn> => {
    const { turn, calls, cut } = assembler.finish();
    // The first role seen counts; the turn is always echoed as the model's.
    if (role !== undefined && role !== "model") {
      warnings.push({
        code: "unexpected-role",
        message: `The candidate's content has role "${role}"; the turn is echoed as role "model".`,
      });
    }
    const end = mapGeminiFinishReason(finishReason);
    if (end.unknown) {
      warnings.push({
        code: "unknown-finish-reason",
        message: `finishReason "${finishReason}" is not one the Google SDKs list; the turn was treated as complete.`,
      });
    }
    if (end.failedCall) {
      warnings.push({
        code: "tool-call-failed",
        message: `Gemini ended the turn with ${finishReason}${finishMessage ? `: ${finishMessage}` : ""}; no call runs.`,
      });
    }
    if (blockReason) {
      warnings.push({
        code: "prompt-blocked",
        message: `Gemini blocked the prompt (${blockReason}); the response has no candidate.`,
      });
    }
    const stopReason = finishReason || blockReason;
    const text = readGeminiText(turn.parts);
    return {
      provider: options.provider,
      calls,
      complete: end.complete && !cut,
      ...(stopReason ? { stopReason } : {}),
      ...(text ? { text } : {}),
      ...(usage ? { usage } : {}),
      ...(responseId ? { responseId } : {}),
      turn,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  };

  return {
    push(chunk) {
      blockReason ??= chunk.promptFeedback?.blockReason;
      // Each chunk's counts are the turn's so far: the latest that has any counts.
      usage = decodeGeminiUsage(chunk.usageMetadata) ?? usage;
      if (typeof chunk.responseId === "string" && chunk.responseId) responseId ??= chunk.responseId;
      const candidate = findCandidate(chunk, options.candidate);
      if (!candidate) return [];
      role ??= candidate.content?.role;
      finishReason = candidate.finishReason || finishReason;
      finishMessage = candidate.finishMessage || finishMessage;
      return (candidate.content?.parts ?? []).flatMap((part) => assembler.append(part));
    },
    textOf(chunk) {
      const parts = findCandidate(chunk, options.candidate)?.content?.parts;
      const text = parts ? readGeminiText(parts) : "";
      return text === "" ? undefined : text;
    },
    finish() {
      batch ??= build();
      return batch;
    },
  };
}
