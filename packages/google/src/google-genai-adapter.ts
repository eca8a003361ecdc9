import type {
  Content,
  ContentListUnion,
  GenerateContentParameters,
  GenerateContentResponse,
  Part,
  Tool,
} from "@google/genai";
import { isJsonObject, type ProviderAdapter } from "@toolbatch/core";
import {
  createGeminiAdapter,
  type GeminiOptions,
  type GeminiParallelFields,
} from "./create-gemini-adapter.js";
import { encodeGoogleGenAITools, mergeFunctionDeclarations } from "./encode-gemini-tools.js";

/** Options of {@link googleGenAI}. */
export type GoogleGenAIOptions = GeminiOptions;

/**
 * The `@google/genai` adapter's type: the SDK's own types in and out. A stream event is a
 * `GenerateContentResponse` chunk; the turn kept in the batch is the candidate's `Content`.
 */
export type GoogleGenAIAdapter = ProviderAdapter<
  GenerateContentResponse,
  GenerateContentResponse,
  GenerateContentParameters,
  Content,
  Tool[],
  Content,
  GeminiParallelFields
>;

/**
 * The adapter for `@google/genai` (Gemini API and Vertex AI): `functionCall` parts of candidate 0
 * in order, ids synthesized where Gemini sent none (and never sent back), thoughtSignatures echoed
 * on the parts they came on, all results in one `user` content. Requests are the SDK's
 * `GenerateContentParameters`: tools go in `config.tools`.
 *
 * @example
 * const adapter = googleGenAI();
 * const response = await ai.models.generateContent({
 *   model, contents, config: { tools: adapter.tools(tools) },
 * });
 * const batch = adapter.toBatch(response);
 * contents.push(...adapter.toFollowUp(batch, await executeBatch(batch, tools)));
 */
export const googleGenAI = (options: GoogleGenAIOptions = {}): GoogleGenAIAdapter =>
  createGeminiAdapter<GenerateContentResponse, GenerateContentParameters, Content, Tool[]>(
    {
      provider: "google-genai",
      resultsRole: "user",
      tools: encodeGoogleGenAITools,
      history: (request) => toContents(request.contents),
      withDeclarations: (request, declarations) => ({
        ...request,
        config: {
          ...request.config,
          tools: mergeFunctionDeclarations(request.config?.tools, declarations),
        },
      }),
    },
    options,
  );

/**
 * The SDK's `contents` as a list of `Content`: it also takes a string, one Content, or parts,
 * which it sends as one `user` content (as its own `tContents` does).
 */
function toContents(contents: ContentListUnion): Content[] {
  const list = Array.isArray(contents) ? contents : [contents];
  if (list.length > 0 && list.every(isContent)) return [...list];
  const parts = list.map(
    (part): Part => (typeof part === "string" ? { text: part } : (part as Part)),
  );
  return [{ role: "user", parts }];
}

function isContent(value: unknown): value is Content {
  return isJsonObject(value) && ("parts" in value || "role" in value);
}
