import type { BatchWarning, CallIdGenerator, ToolCallBatch } from "@toolbatch/core";
import type { GeminiTurn, WireContent } from "./decode-gemini-part.js";
import {
  candidateIndex,
  createGeminiStreamAssembler,
  findCandidate,
} from "./decode-gemini-stream.js";
import { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";

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
 * Reads a whole response as a batch (`toBatch`): the chosen candidate's `functionCall` parts in
 * order, its content kept to echo. A whole response is read as a stream of one chunk, so the two
 * cannot disagree. A response without candidates (a blocked prompt) gives an empty, incomplete
 * batch; a response whose candidates lack the chosen index throws.
 */
export function decodeGeminiResponse(
  response: WireResponse,
  options: GeminiDecodeOptions,
): ToolCallBatch<GeminiTurn> {
  const candidates = response.candidates ?? [];
  if (candidates.length > 0 && !findCandidate(response, options.candidate)) {
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
        "The response has no candidates and no promptFeedback: nothing to read. (Legacy SDK: pass result.response, not the result.)",
    });
  }
  const assembler = createGeminiStreamAssembler(options, warnings);
  assembler.push(response);
  return assembler.finish();
}
