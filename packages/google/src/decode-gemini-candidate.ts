import { isJsonObject } from "@toolbatch/core";
import type { WireContent } from "./decode-gemini-part.js";
import type { WireUsageMetadata } from "./decode-gemini-usage.js";

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
  /** The tokens used so far; in a stream, the last chunk carrying counts has the turn's. */
  readonly usageMetadata?: WireUsageMetadata;
  /** The response's id (the `@google/genai` SDK's `responseId`); every chunk of a stream has it. */
  readonly responseId?: string;
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
 * Recognises a `generateContent` response, or one chunk of its stream (the same type), by its
 * shape: `candidates`, `promptFeedback` (a blocked prompt) or `usageMetadata` (a usage-only
 * chunk). The legacy SDK's `{ response }` result, a `Content` taken out of a candidate and other
 * vendors' responses have none of them.
 */
export function isGeminiResponse(value: unknown): value is WireResponse {
  return (
    isJsonObject(value) &&
    (Array.isArray(value.candidates) ||
      isJsonObject(value.promptFeedback) ||
      isJsonObject(value.usageMetadata))
  );
}
