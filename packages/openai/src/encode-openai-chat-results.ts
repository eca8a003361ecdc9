import { assertResultsMatchBatch, type ToolCallBatch, type ToolResult } from "@toolbatch/core";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import { OPENAI_CHAT_PROVIDER } from "./decode-openai-chat-response.js";
import { type WireChatToolCall, wrappedCallsOf } from "./decode-openai-chat-tool-call.js";
import { pairWireCalls } from "./pair-wire-calls.js";
import { stripSdkParsedFields } from "./strip-sdk-parsed-fields.js";

/**
 * The follow-up of a Chat Completions turn: the assistant message (its calls verbatim, with any
 * synthesized id filled in so results can name it), then one `tool` message per call, in call
 * order. OpenAI pairs by `tool_call_id`, but local servers render results by position through
 * chat templates (ms-swift#10174), and a stable order keeps prompt caches warm (vercel/ai#16567).
 * Chat has no error flag: errors are told in the text (`Error (<code>): <message>`).
 */
export function encodeOpenAIChatFollowUp(
  batch: ToolCallBatch<ChatCompletionMessage>,
  results: readonly ToolResult[],
): ChatCompletionMessageParam[] {
  assertResultsMatchBatch(batch, results, "toolbatch/openai", OPENAI_CHAT_PROVIDER);
  const wires: readonly WireChatToolCall[] = batch.turn.tool_calls ?? [];
  const answered = pairWireCalls(wires, batch, results, {
    id: (wire) => wire.id,
    wrapped: wrappedCallsOf,
    carrier: "tool_calls",
  });
  const toolCalls = answered.map(({ wire, id }) => echoToolCall(wire, id));
  const toolMessages = answered.map(
    ({ id, output }): ChatCompletionToolMessageParam => ({
      role: "tool",
      tool_call_id: id,
      content: output,
    }),
  );
  return [echoAssistantMessage(batch.turn, toolCalls), ...toolMessages];
}

/**
 * The assistant message as request history: the response message minus what only responses carry
 * (`annotations`, a null `refusal`, audio data), keeping anything a compatible server added
 * (DeepSeek's `reasoning_content` must come back).
 */
function echoAssistantMessage(
  message: ChatCompletionMessage,
  toolCalls: ChatCompletionMessageToolCall[],
): ChatCompletionAssistantMessageParam {
  // The calls are echoed from `toolCalls`, so they are left out before stripping.
  const { tool_calls: _calls, ...fields } = message;
  const {
    annotations: _annotations,
    audio,
    refusal,
    function_call,
    role: _role,
    content,
    ...rest
  } = stripSdkParsedFields(fields);
  return {
    ...rest,
    role: "assistant",
    content: content ?? null,
    ...(refusal ? { refusal } : {}),
    ...(audio ? { audio: { id: audio.id } } : {}),
    ...(function_call ? { function_call } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function echoToolCall(wire: WireChatToolCall, id: string): ChatCompletionMessageToolCall {
  if (wire.type === "custom" || (wire.custom && !wire.function)) {
    return {
      ...wire,
      id,
      type: "custom",
      custom: { name: wire.custom?.name ?? "", input: wire.custom?.input ?? "" },
    };
  }
  const stripped = stripSdkParsedFields(wire);
  // Unstripped: in Ollama-style object arguments, a `parsed` key is the caller's own argument.
  const args = wire.function?.arguments;
  return {
    ...stripped,
    id,
    type: "function",
    function: {
      ...stripped.function,
      name: stripped.function?.name ?? "",
      // Chat arguments are a JSON string on the wire; Ollama-style objects go back as one.
      arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
    },
  } as ChatCompletionMessageToolCall;
}
