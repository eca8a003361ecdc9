import type { BatchWarning, ToolCallBatch } from "@toolbatch/core";
import { candidateIndex, findCandidate, type WireResponse } from "./decode-gemini-candidate.js";
import type { GeminiTurn } from "./decode-gemini-part.js";
import { createGeminiStreamAssembler, type GeminiDecodeOptions } from "./decode-gemini-stream.js";
import { CandidateNotFoundError } from "./errors/candidate-not-found-error.js";

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
        "The response has no candidates and no promptFeedback: there was nothing to read. (With the legacy SDK, pass result.response, not the result.)",
    });
  }
  const assembler = createGeminiStreamAssembler(options, warnings);
  assembler.push(response);
  return assembler.finish();
}
