import type { BatchWarning, CallIdGenerator, ToolCallBatch } from "@toolbatch/core";
import { type AssembledTurn, createGeminiTurnAssembler } from "./assemble-gemini-turn.js";
import type { GeminiTurn, WireContent } from "./decode-gemini-part.js";
import { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

/** A candidate of a `GenerateContentResponse` (or of one stream chunk). */
export interface WireCandidate {
  /** The candidate's index; proto3 JSON leaves out 0. */
  readonly index?: number;
  /** The model's content (missing when a call was malformed or output withheld). */
  readonly content?: WireContent;
  /** Why generation stopped; in a stream, only the last chunk has it. */
  readonly finishReason?: string;
  /** Google's explanation of a failed turn (`Malformed function call: ...`). */
  readonly finishMessage?: string;
}

/** A `GenerateContentResponse` or one stream chunk, as both Google SDKs return it. */
export interface WireResponse {
  /** The candidates; none when the prompt was blocked. */
  readonly candidates?: readonly WireCandidate[];
  /** Why the prompt was blocked, when it was. */
  readonly promptFeedback?: { readonly blockReason?: string };
}

/** How a turn ended: the candidate's reason and message, or the prompt's block reason. */
export interface GeminiTurnEnding {
  readonly finishReason: string | undefined;
  readonly finishMessage: string | undefined;
  readonly blockReason: string | undefined;
}

/** Options every Gemini decoder takes. */
export interface GeminiDecodeOptions {
  /** The batch's provider name (`google-genai`, `google-generative-ai`). */
  readonly provider: string;
  /** The candidate to read. */
  readonly candidate: number;
  /** Where synthesized ids come from. */
  readonly ids: CallIdGenerator;
}

/** The chosen candidate of a response or chunk. */
export function findCandidate(
  response: WireResponse,
  candidate: number,
): WireCandidate | undefined {
  const candidates = response.candidates ?? [];
  return candidates.find(
    (entry, position) => candidateIndex(candidates, entry, position) === candidate,
  );
}

/**
 * A candidate's index. Proto3 JSON leaves out the default, so where any candidate has an index a
 * missing one is 0; where none has (hand-made responses), the position is.
 */
export function candidateIndex(
  candidates: readonly WireCandidate[],
  entry: WireCandidate,
  position: number,
): number {
  if (entry.index !== undefined) return entry.index;
  return candidates.some((other) => other.index !== undefined) ? 0 : position;
}

/**
 * Completes a batch from an assembled turn and how the turn ended. It is complete only when the
 * candidate ended `STOP` and no streamed call was cut (see `mapGeminiFinishReason`).
 */
export function buildGeminiBatch(
  provider: string,
  assembled: AssembledTurn,
  ending: GeminiTurnEnding,
  warnings: BatchWarning[],
): ToolCallBatch<GeminiTurn> {
  const { finishReason, finishMessage, blockReason } = ending;
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
  return {
    provider,
    calls: assembled.calls,
    complete: end.complete && !assembled.cut,
    ...(stopReason ? { stopReason } : {}),
    turn: assembled.turn,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * Reads a whole response as a batch (`toBatch`): the chosen candidate's `functionCall` parts in
 * order, its content kept to echo. A response without candidates (a blocked prompt) gives an
 * empty, incomplete batch; a response whose candidates lack the chosen index throws.
 */
export function decodeGeminiResponse(
  response: WireResponse,
  options: GeminiDecodeOptions,
): ToolCallBatch<GeminiTurn> {
  const candidate = findCandidate(response, options.candidate);
  const candidates = response.candidates ?? [];
  if (!candidate && candidates.length > 0) {
    throw new CandidateNotFoundError(
      options.candidate,
      candidates.map((entry, position) => candidateIndex(candidates, entry, position)),
    );
  }
  const warnings: BatchWarning[] = [];
  if (candidates.length === 0 && !response.promptFeedback?.blockReason) {
    warnings.push({
      code: "no-candidates",
      message:
        "The response has no candidates and no promptFeedback: there was nothing to read. (With the legacy SDK, pass result.response, not the result.)",
    });
  }
  const assembler = createGeminiTurnAssembler(options.ids, warnings);
  assembler.role(candidate?.content?.role);
  for (const part of candidate?.content?.parts ?? []) assembler.append(part);
  return buildGeminiBatch(
    options.provider,
    assembler.finish(),
    {
      finishReason: candidate?.finishReason,
      finishMessage: candidate?.finishMessage,
      blockReason: response.promptFeedback?.blockReason,
    },
    warnings,
  );
}
