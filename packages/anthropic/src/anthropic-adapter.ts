import type {
  Message,
  MessageCreateParams,
  MessageParam,
  MessageStreamEvent,
  Tool,
} from "@anthropic-ai/sdk/resources/messages";
import {
  type BatchWarning,
  type CallIdGenerator,
  createCallIdGenerator,
  type ProviderAdapter,
} from "@toolbatch/core";
import {
  ANTHROPIC_PROVIDER,
  decodeAnthropicResponse,
  isAnthropicResponse,
} from "./decode-anthropic-response.js";
import {
  createAnthropicStreamAssembler,
  isAnthropicStreamEvent,
} from "./decode-anthropic-stream.js";
import { encodeAnthropicFollowUp } from "./encode-anthropic-results.js";
import {
  type AnthropicParallelFields,
  type AnthropicRequestOptions,
  encodeAnthropicToolChoice,
} from "./encode-anthropic-tool-choice.js";
import { encodeAnthropicTools } from "./encode-anthropic-tools.js";

/** Options of {@link anthropic}. */
export interface AnthropicOptions {
  /**
   * Where ids come from for `tool_use` blocks that arrive without one (Anthropic always sends
   * one; some compatible servers may not). Pass one generator per conversation so ids stay
   * unique across its turns. Default: one per adapter.
   */
  ids?: CallIdGenerator;
  /**
   * Told what `requestOptions` had to change in what it was given, for instance a `tool_choice`
   * of `any` sent as `auto` because thinking is on: there is no batch yet to carry the warning.
   * Default: `console.warn`, so a request is never changed silently.
   */
  onWarning?: (warning: BatchWarning) => void;
}

/** The Anthropic adapter's type: the `@anthropic-ai/sdk` SDK's own types in and out. */
export interface AnthropicAdapter
  extends ProviderAdapter<
    Message,
    MessageStreamEvent,
    MessageCreateParams,
    MessageParam,
    Tool[],
    Message,
    AnthropicParallelFields
  > {
  /**
   * The `tool_choice` that turns parallel calls on or off, merged with the request's own
   * `toolChoice` and checked against its `thinking` (see {@link AnthropicRequestOptions}).
   * `withTools`, which `runToolLoop` calls, does the same merge from the request's own
   * `tool_choice` and `thinking`, and keeps the tools the request declares (server tools too).
   */
  requestOptions(options: AnthropicRequestOptions): AnthropicParallelFields;
}

/**
 * The adapter for the Anthropic Messages API: `tool_use` blocks in, one user message of
 * `tool_result` blocks out, the assistant turn (thinking, signatures, server tools) echoed as sent.
 *
 * @example
 * const adapter = anthropic();
 * const message = await client.messages.create({
 *   model, max_tokens: 1024, messages, tools: adapter.tools(tools),
 *   ...adapter.requestOptions({ parallel: false, toolChoice: { type: "any" } }),
 * });
 * const batch = adapter.toBatch(message);
 * messages.push(...adapter.toFollowUp(batch, await executeBatch(batch, tools)));
 */
export const anthropic = (options: AnthropicOptions = {}): AnthropicAdapter => {
  const ids = options.ids ?? createCallIdGenerator();
  const warn = options.onWarning ?? warnOnConsole;
  return {
    provider: ANTHROPIC_PROVIDER,
    capabilities: {
      parallelToggle: "native",
      callIds: "always",
      errorFlag: "native",
      streaming: true,
    },
    responseTypes: { response: "Message", streamEvent: "MessageStreamEvent" },
    isResponse: isAnthropicResponse,
    isStreamEvent: isAnthropicStreamEvent,
    tools: encodeAnthropicTools,
    requestOptions: (request) => encodeAnthropicToolChoice(request, warn),
    toBatch: (message) => decodeAnthropicResponse(message, ids),
    toFollowUp: encodeAnthropicFollowUp,
    createStreamAssembler: () => createAnthropicStreamAssembler(ids),
    history: (request) => [...request.messages],
    withHistory: (request, history) => ({ ...request, messages: [...history] }),
    withTools(request, tools, { parallel }) {
      // The request's own tools stay: dropping a server tool (web_search, ...) it declares is a
      // 400 once the model has used it ("... but no `web_fetch` tool was provided").
      const declared = [...(request.tools ?? []), ...encodeAnthropicTools(tools)];
      const choice = encodeAnthropicToolChoice(
        {
          parallel,
          toolCount: declared.length,
          toolChoice: request.tool_choice,
          thinking: request.thinking,
        },
        warn,
      );
      return { ...request, ...(tools.length > 0 ? { tools: declared } : {}), ...choice };
    },
  };
};

function warnOnConsole(warning: BatchWarning): void {
  console.warn(`[toolbatch/anthropic] ${warning.message} (${warning.code})`);
}
