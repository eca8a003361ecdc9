import {
  type AnyTool,
  assertResultsMatchBatch,
  type CallIdGenerator,
  createCallIdGenerator,
  type ProviderAdapter,
  type StreamAssembler,
  type ToolCallBatch,
} from "@toolbatch/core";
import { isGeminiResponse, type WireResponse } from "./decode-gemini-candidate.js";
import type { GeminiTurn, WireContent } from "./decode-gemini-part.js";
import { decodeGeminiResponse } from "./decode-gemini-response.js";
import { createGeminiStreamAssembler } from "./decode-gemini-stream.js";
import { encodeGeminiFollowUp, type GeminiResultsRole } from "./encode-gemini-results.js";

/** The providers of the two Gemini adapters, whose batches hold the same Gemini JSON. */
const GEMINI_PROVIDERS = ["google-genai", "google-generative-ai"] as const;

/** Options both Gemini adapters take. */
export interface GeminiOptions {
  /** Which candidate to read when the request asked for `candidateCount > 1`. Default 0. */
  candidate?: number;
  /**
   * Where ids come from for calls Gemini sends without one (most models before Gemini 3, and the
   * legacy API always). Pass one generator per conversation so ids stay unique across its turns.
   * Default: one per adapter.
   */
  ids?: CallIdGenerator;
}

/**
 * What `requestOptions` returns: the empty object type. Gemini has no request switch for parallel
 * calls (python-genai#1831), so `parallel: false` holds only on the client, where the executor
 * runs the batch one call at a time.
 */
export type GeminiParallelFields = Record<never, never>;

/** What tells the two Google SDKs apart: names, roles and where a request keeps things. */
export interface GeminiAdapterProfile<Request, Content, ToolDeclarations> {
  /** The batch's provider name: one of {@link GEMINI_PROVIDERS}. */
  readonly provider: string;
  /** The role of the content carrying the results. */
  readonly resultsRole: GeminiResultsRole;
  /** The SDK's tool declarations. */
  readonly tools: (tools: readonly AnyTool[]) => ToolDeclarations;
  /** The contents of a request. */
  readonly history: (request: Request) => Content[];
  /** A copy of a request that also declares these functions. */
  readonly withDeclarations: (request: Request, declarations: ToolDeclarations) => Request;
}

/**
 * Builds a Gemini adapter over one SDK's types. Both SDKs speak the same JSON, so one decoder,
 * stream assembler and encoder serve both; the SDK types are applied here, at the boundary. The
 * constraints make the compiler prove that each SDK's response and content types (both majors of
 * `@google/genai`, and the legacy SDK) fit the wire shape the decoder reads.
 */
export function createGeminiAdapter<
  Response extends WireResponse,
  Request,
  Content extends WireContent,
  ToolDeclarations,
>(
  profile: GeminiAdapterProfile<Request, Content, ToolDeclarations>,
  options: GeminiOptions,
): ProviderAdapter<
  Response,
  Response,
  Request,
  Content,
  ToolDeclarations,
  Content,
  GeminiParallelFields
> {
  const ids = options.ids ?? createCallIdGenerator();
  const decoding = { provider: profile.provider, candidate: options.candidate ?? 0, ids };
  return {
    provider: profile.provider,
    capabilities: {
      parallelToggle: "client-only",
      callIds: "sometimes",
      errorFlag: "native",
      streaming: true,
    },
    // A stream chunk is a response: one recogniser serves both.
    responseTypes: { response: "GenerateContentResponse", streamEvent: "GenerateContentResponse" },
    isResponse: isGeminiResponse as (value: unknown) => value is Response,
    isStreamEvent: isGeminiResponse as (value: unknown) => value is Response,
    tools: profile.tools,
    requestOptions: () => ({}),
    // The turn is the SDK's own content object, kept as it came: typed back as the SDK's Content.
    toBatch: (response) =>
      decodeGeminiResponse(response, decoding) as unknown as ToolCallBatch<Content>,
    toFollowUp: (batch, results) => {
      // Both SDKs speak the same Gemini JSON: either adapter answers the other's batches.
      assertResultsMatchBatch(batch, results, "toolbatch/google", GEMINI_PROVIDERS);
      return encodeGeminiFollowUp(
        batch as unknown as ToolCallBatch<GeminiTurn>,
        results,
        profile.resultsRole,
      ) as Content[];
    },
    createStreamAssembler: () =>
      createGeminiStreamAssembler(decoding) as unknown as StreamAssembler<Response, Content>,
    history: profile.history,
    // Both SDKs' requests keep the conversation in `contents`.
    withHistory: (request, history) => ({ ...request, contents: [...history] }),
    // No parallel switch to set: `parallel: false` is the executor's alone.
    withTools: (request, tools) =>
      tools.length > 0 ? profile.withDeclarations(request, profile.tools(tools)) : request,
  };
}
