import {
  type AnyTool,
  type CallIdGenerator,
  createCallIdGenerator,
  type ProviderAdapter,
  type ToolCallBatch,
} from "@toolbatch/core";
import type {
  FunctionTool,
  Response,
  ResponseCreateParams,
  ResponseInputItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { checkToolList } from "./check-tool-count.js";
import {
  decodeOpenAIResponsesResponse,
  isOpenAIResponsesResponse,
  OPENAI_RESPONSES_PROVIDER,
  type OpenAIResponsesTurn,
} from "./decode-openai-responses-response.js";
import {
  createOpenAIResponsesStreamAssembler,
  isOpenAIResponsesEvent,
} from "./decode-openai-responses-stream.js";
import {
  encodeOpenAIResponsesFollowUp,
  type ResponsesHistoryMode,
} from "./encode-openai-responses-results.js";
import { encodeOpenAIResponsesTools } from "./encode-openai-responses-tools.js";
import type { OpenAIParallelFields } from "./openai-chat-adapter.js";

/** Options of {@link openaiResponses}. */
export interface OpenAIResponsesOptions {
  /**
   * `full` (default): `toFollowUp` returns the turn's output items verbatim, then the outputs; use
   * it with `store: false` or whenever you keep the history. `previous-response`: only the outputs;
   * send them with `previous_response_id: batch.turn.responseId` (re-sending old items then
   * duplicates them).
   */
  history?: ResponsesHistoryMode;
  /** Declare tools with `strict: true`; schemas must follow strict-mode rules. Default false. */
  strict?: boolean;
  /** Never send `parallel_tool_calls` (for models that reject it). Default false. */
  omitParallelToolCalls?: boolean;
  /** Where ids come from for calls expanded from a `multi_tool_use.parallel` item. */
  ids?: CallIdGenerator;
}

/** The Responses adapter's type: the `openai` SDK's own types in and out. */
export type OpenAIResponsesAdapter = ProviderAdapter<
  Response,
  ResponseStreamEvent,
  ResponseCreateParams,
  ResponseInputItem,
  FunctionTool[],
  OpenAIResponsesTurn,
  OpenAIParallelFields
>;

/**
 * The adapter for the OpenAI Responses API: `function_call` items paired by `call_id`, reasoning
 * items and everything else of the turn echoed.
 *
 * @example
 * const adapter = openaiResponses();
 * const response = await client.responses.create({ model, input, store: false,
 *   include: ["reasoning.encrypted_content"], tools: adapter.tools(tools) });
 * const batch = adapter.toBatch(response);
 * input.push(...adapter.toFollowUp(batch, await executeBatch(batch, tools)));
 */
export const openaiResponses = (options: OpenAIResponsesOptions = {}): OpenAIResponsesAdapter => {
  const ids = options.ids ?? createCallIdGenerator();
  const mode = options.history ?? "full";
  const omitSwitch = options.omitParallelToolCalls === true;
  const tools = (list: readonly AnyTool[]) =>
    encodeOpenAIResponsesTools(checkToolList(list), options.strict === true);
  return {
    provider: OPENAI_RESPONSES_PROVIDER,
    capabilities: {
      parallelToggle: omitSwitch ? "client-only" : "native",
      callIds: "always",
      errorFlag: "text",
      streaming: true,
    },
    responseTypes: { response: "Response", streamEvent: "ResponseStreamEvent" },
    isResponse: isOpenAIResponsesResponse,
    isStreamEvent: isOpenAIResponsesEvent,
    tools,
    requestOptions: ({ parallel, toolCount }) =>
      omitSwitch || toolCount === 0 ? {} : { parallel_tool_calls: parallel },
    toBatch: (response) => decodeOpenAIResponsesResponse(response, ids),
    // A checkpoint's batch (turn unknown to the compiler) is checked to be this vendor's there.
    toFollowUp: (batch, results) =>
      encodeOpenAIResponsesFollowUp(batch as ToolCallBatch<OpenAIResponsesTurn>, results, mode),
    createStreamAssembler: () => createOpenAIResponsesStreamAssembler(ids),
    history: (request) =>
      typeof request.input === "string"
        ? [{ role: "user", content: request.input }]
        : [...(request.input ?? [])],
    withHistory: (request, history) => ({ ...request, input: [...history] }),
    withTools(request, list, { parallel }) {
      return {
        ...request,
        ...(list.length > 0 ? { tools: [...(request.tools ?? []), ...tools(list)] } : {}),
        ...this.requestOptions({ parallel, toolCount: list.length }),
      };
    },
  };
};
