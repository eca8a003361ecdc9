import type {
  Content,
  FunctionDeclarationsTool,
  GenerateContentRequest,
  GenerateContentResponse,
  Tool,
} from "@google/generative-ai";
import { isJsonObject, type ProviderAdapter } from "@toolbatch/core";
import type { DeclarationWarning } from "./convert-json-schema-to-openapi.js";
import {
  createGeminiAdapter,
  type GeminiOptions,
  type GeminiParallelFields,
} from "./create-gemini-adapter.js";
import { encodeGoogleGenerativeAITools, mergeFunctionDeclarations } from "./encode-gemini-tools.js";

/** Options of {@link googleGenerativeAI}. */
export interface GoogleGenerativeAIOptions extends GeminiOptions {
  /**
   * Called for each JSON Schema keyword `tools()` had to drop (the legacy SDK declares parameters
   * in an OpenAPI subset: no `minimum`, `pattern`, unions, ...). Default: each distinct warning is
   * written once per adapter with `console.warn`, so a constraint the model will not see is never
   * lost silently. Pass `() => {}` to silence them, or throw to refuse such schemas.
   */
  onWarning?: (warning: DeclarationWarning) => void;
}

/**
 * What `runToolLoop`'s `send` may return with the legacy SDK: a response (the `response` of what
 * `generateContent` resolves with), or what `generateContentStream` resolves with
 * (`{ stream, response }`, of which the loop reads `stream`), or the stream itself.
 */
export type GoogleGenerativeAISent =
  | GenerateContentResponse
  | AsyncIterable<GenerateContentResponse>
  | { readonly stream: AsyncIterable<GenerateContentResponse> };

/**
 * The legacy `@google/generative-ai` adapter's type: the SDK's own types in and out. A stream
 * event is one chunk of `result.stream`.
 */
export type GoogleGenerativeAIAdapter = ProviderAdapter<
  GenerateContentResponse,
  GenerateContentResponse,
  GenerateContentRequest,
  Content,
  FunctionDeclarationsTool[],
  Content,
  GeminiParallelFields,
  GoogleGenerativeAISent
>;

/**
 * The adapter for the deprecated `@google/generative-ai` SDK (0.24). The same Gemini JSON as
 * `googleGenAI()`, with the legacy SDK's two differences:
 * - results go back in ONE content of role `function`: the SDK's ChatSession refuses a
 *   `functionResponse` in a `user` content ("Content with role 'user' can't contain
 *   'functionResponse' part") and puts them in role `function` itself; the API takes both;
 * - tools are declared with `parameters` in the SDK's OpenAPI subset, converted from JSON Schema.
 *
 * Streams: feed the chunks of `result.stream`, never `await result.response`: the SDK's aggregate
 * holds two copies of the last call when two calls share a chunk, and drops thoughtSignatures.
 * `runToolLoop` reads `result.stream` by itself; for unstreamed turns, `send` returns
 * `(await model.generateContent(request)).response`.
 *
 * @example
 * const adapter = googleGenerativeAI();
 * const model = genAI.getGenerativeModel({ model: "gemini-2.5-flash", tools: adapter.tools(tools) });
 * const { response } = await model.generateContent({ contents });
 * const batch = adapter.toBatch(response);
 * contents.push(...adapter.toFollowUp(batch, await executeBatch(batch, tools)));
 */
export const googleGenerativeAI = (
  options: GoogleGenerativeAIOptions = {},
): GoogleGenerativeAIAdapter => {
  const warn = options.onWarning ?? warnOnce();
  const adapter = createGeminiAdapter<
    GenerateContentResponse,
    GenerateContentRequest,
    Content,
    FunctionDeclarationsTool[]
  >(
    {
      provider: "google-generative-ai",
      resultsRole: "function",
      tools: (tools) => encodeGoogleGenerativeAITools(tools, warn),
      history: (request) => [...request.contents],
      withDeclarations: (request, declarations) => ({
        ...request,
        tools: mergeFunctionDeclarations<Tool>(request.tools, declarations),
      }),
    },
    options,
  );
  // The legacy SDK wraps its stream (`{ stream, response }`); @google/genai returns it bare.
  return { ...adapter, streamOf: streamOfResult };
};

/**
 * The chunks of what `generateContentStream` returned: `{ stream, response }`, where only
 * `stream` is to be read (the aggregated `response` repeats calls and drops signatures). The
 * SDK rejects `response` too when the stream fails ("Failed to parse stream"): the rejection is
 * handled here, or it would be unhandled (the stream's own error reaches runToolLoop).
 */
function streamOfResult(value: unknown): AsyncIterable<GenerateContentResponse> | undefined {
  const { stream: wrapped, response } = (value ?? {}) as { stream?: unknown; response?: unknown };
  if (wrapped !== undefined && typeof (response as PromiseLike<unknown>)?.then === "function") {
    Promise.resolve(response).catch(() => {});
  }
  for (const candidate of [wrapped, value]) {
    if (isJsonObject(candidate) && Symbol.asyncIterator in candidate) {
      return candidate as AsyncIterable<GenerateContentResponse>;
    }
  }
  return undefined;
}

/** The default warning sink: each distinct message once, since tools are declared every turn. */
function warnOnce(): (warning: DeclarationWarning) => void {
  const seen = new Set<string>();
  return (warning) => {
    if (seen.has(warning.message)) return;
    seen.add(warning.message);
    console.warn(warning.message);
  };
}
