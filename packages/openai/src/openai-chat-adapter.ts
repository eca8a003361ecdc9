import {
  type AnyTool,
  type CallIdGenerator,
  createCallIdGenerator,
  type ProviderAdapter,
} from "@toolbatch/core";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionFunctionTool,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { checkToolList } from "./check-tool-count.js";
import {
  decodeOpenAIChatResponse,
  isOpenAIChatResponse,
  OPENAI_CHAT_PROVIDER,
} from "./decode-openai-chat-response.js";
import { createOpenAIChatStreamAssembler, isOpenAIChatChunk } from "./decode-openai-chat-stream.js";
import { encodeOpenAIChatFollowUp } from "./encode-openai-chat-results.js";
import { encodeOpenAIChatTools } from "./encode-openai-chat-tools.js";

/** Options of {@link openaiChat}. */
export interface OpenAIChatOptions {
  /** Which choice to read when the request asked for `n > 1`. Default 0. */
  choice?: number;
  /**
   * Declare tools with `strict: true` (Structured Outputs for arguments). Schemas must then follow
   * strict-mode rules: every property required (optional ones as nullable), no `allOf`/`not`/`if`;
   * a schema that does not is refused with a `StrictSchemaError` rather than sent. Default false.
   */
  strict?: boolean;
  /**
   * Never send `parallel_tool_calls`, for models that reject the parameter (o1, o3, o3-mini,
   * o4-mini answered 400 `unsupported_parameter`). `parallel: false` then holds only on the client,
   * where the executor runs one call at a time. Default false.
   */
  omitParallelToolCalls?: boolean;
  /**
   * Where ids come from for calls that arrive without one (some compatible servers). Pass one
   * generator per conversation so ids stay unique across its turns. Default: one per adapter.
   */
  ids?: CallIdGenerator;
}

/** What `requestOptions` returns: the switch alone, or nothing where it must not be sent. */
export type OpenAIParallelFields = { parallel_tool_calls?: boolean };

/**
 * The request the Chat Completions adapter builds: `chat.completions.create`'s parameters without
 * `stream`, which `send` chooses — `client.chat.completions.create(request)` for a response,
 * `create({ ...request, stream: true })` or `client.chat.completions.stream(request)` for a stream.
 */
export type OpenAIChatRequest = Omit<ChatCompletionCreateParamsBase, "stream">;

/** The Chat Completions adapter's type: the `openai` SDK's own types in and out. */
export type OpenAIChatAdapter = ProviderAdapter<
  ChatCompletion,
  ChatCompletionChunk,
  OpenAIChatRequest,
  ChatCompletionMessageParam,
  ChatCompletionFunctionTool[],
  ChatCompletionMessage,
  OpenAIParallelFields
>;

/**
 * The adapter for OpenAI Chat Completions and every OpenAI-compatible server (vLLM, Ollama's
 * `/v1`, llama.cpp, Groq, Mistral's compatible endpoint).
 *
 * @example
 * const adapter = openaiChat();
 * const completion = await client.chat.completions.create({
 *   model, messages, tools: adapter.tools(tools), ...adapter.requestOptions({ parallel: true }),
 * });
 * const batch = adapter.toBatch(completion);
 * const results = await executeBatch(batch, tools);
 * messages.push(...adapter.toFollowUp(batch, results));
 */
export const openaiChat = (options: OpenAIChatOptions = {}): OpenAIChatAdapter => {
  const choice = options.choice ?? 0;
  const ids = options.ids ?? createCallIdGenerator();
  const omitSwitch = options.omitParallelToolCalls === true;
  const tools = (list: readonly AnyTool[]) =>
    encodeOpenAIChatTools(checkToolList(list), options.strict === true);
  return {
    provider: OPENAI_CHAT_PROVIDER,
    capabilities: {
      parallelToggle: omitSwitch ? "client-only" : "native",
      callIds: "always",
      errorFlag: "text",
      streaming: true,
    },
    responseTypes: { response: "ChatCompletion", streamEvent: "ChatCompletionChunk" },
    isResponse: isOpenAIChatResponse,
    isStreamEvent: isOpenAIChatChunk,
    tools,
    requestOptions: ({ parallel, toolCount }) =>
      // parallel_tool_calls without tools is an error on OpenAI (openai-agents-python#4330).
      omitSwitch || toolCount === 0 ? {} : { parallel_tool_calls: parallel },
    toBatch: (completion) => decodeOpenAIChatResponse(completion, choice, ids),
    toFollowUp: encodeOpenAIChatFollowUp,
    createStreamAssembler: () => createOpenAIChatStreamAssembler(choice, ids),
    history: (request) => [...request.messages],
    withHistory: (request, history) => ({ ...request, messages: [...history] }),
    withTools(request, list, { parallel }) {
      return {
        ...request,
        ...(list.length > 0 ? { tools: tools(list) } : {}),
        ...this.requestOptions({ parallel, toolCount: list.length }),
      };
    },
  };
};
