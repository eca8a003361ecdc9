import type { RenderedHistory, TranscriptCodec } from "@toolbatch/core";
import { decodeGeminiHistory } from "./decode-gemini-history.js";
import type { WireContent } from "./decode-gemini-part.js";
import { encodeGeminiHistory } from "./encode-gemini-history.js";
import type { GeminiResultsRole } from "./encode-gemini-results.js";
import { GEMINI_VENDOR } from "./gemini-transcript-state.js";

/** Options both Gemini transcript codecs take. */
export interface GeminiTranscriptOptions {
  /**
   * The `thoughtSignature` put on the first `functionCall` of each model turn with calls that no
   * Gemini model signed (another vendor wrote it, or a model before Gemini 2.5). Gemini 3 answers
   * 400 "Function call is missing a thought_signature" without one, and Google's thought-signature
   * docs name dummy signatures for history the model did not produce; the default,
   * `"skip_thought_signature_validator"`, works on the Gemini API and on Vertex AI. Only the first
   * call of a turn gets it, as Gemini signs only the first call of a parallel batch (LiteLLM
   * PR #37541 found placeholders on every sibling gave empty responses). `false`: none.
   */
  signaturePlaceholder?: string | false;
}

/** The documented dummy signature that works on both the Gemini API and Vertex AI. */
const DEFAULT_SIGNATURE_PLACEHOLDER = "skip_thought_signature_validator";

/**
 * Builds a Gemini transcript codec over one SDK's `Content`. Both SDKs speak the same JSON, so one
 * decoder and one encoder serve both, and state read with one renders with the other (`vendor` is
 * `gemini` for both); only the role of the results content differs. The constraint makes the
 * compiler prove that the SDK's `Content` fits the wire shape the decoder reads.
 */
export function createGeminiTranscript<Content extends WireContent>(
  resultsRole: GeminiResultsRole,
  options: GeminiTranscriptOptions,
): TranscriptCodec<Content> {
  const target = {
    resultsRole,
    signaturePlaceholder: options.signaturePlaceholder ?? DEFAULT_SIGNATURE_PLACEHOLDER,
  };
  return {
    vendor: GEMINI_VENDOR,
    // The request's `systemInstruction`: pass it to convertHistory, which returns it as `system`.
    systemPlacement: "request",
    read: (history) => decodeGeminiHistory(history),
    // The contents are plain Gemini JSON: typed back as the SDK's Content.
    render: (transcript) =>
      encodeGeminiHistory(transcript, target) as unknown as RenderedHistory<Content>,
  };
}
