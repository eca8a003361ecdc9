import {
  type BatchWarning,
  type CallIdGenerator,
  isJsonObject,
  type TokenUsage,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import type { ChatCompletion, ChatCompletionMessage } from "openai/resources/chat/completions";
import { decodeChatToolCall, type WireChatToolCall } from "./decode-openai-chat-tool-call.js";
import { decodeChatUsage } from "./decode-openai-usage.js";
import { ChoiceNotFoundError } from "./errors/choice-not-found-error.js";
import { mapChatFinishReason } from "./map-openai-chat-finish-reason.js";

/** The provider name of Chat Completions batches. */
export const OPENAI_CHAT_PROVIDER = "openai-chat";

/**
 * Completes a batch from its calls, the turn's finish reason and the completion's usage and id. Shared by
 * `toBatch` and the stream assembler's `finish`, so both read text and usage alike.
 */
export function finishChatBatch(
  message: ChatCompletionMessage,
  calls: readonly ToolCall[],
  finishReason: string | null | undefined,
  warnings: BatchWarning[],
  usage: TokenUsage | undefined,
  responseId: string | undefined,
): ToolCallBatch<ChatCompletionMessage> {
  const end = mapChatFinishReason(finishReason);
  if (end.unknown) {
    warnings.push({
      code: "unknown-finish-reason",
      message: `finish_reason "${finishReason}" is not one OpenAI documents; the turn was treated as complete.`,
    });
  }
  return {
    provider: OPENAI_CHAT_PROVIDER,
    calls,
    complete: end.complete,
    ...(finishReason ? { stopReason: finishReason } : {}),
    // The answer is `content`; a `refusal` and a compatible server's `reasoning_content` are not.
    ...(typeof message.content === "string" && message.content !== ""
      ? { text: message.content }
      : {}),
    ...(usage ? { usage } : {}),
    // The completion's `id` (`chatcmpl-...`); compatible servers may send none or an empty one.
    ...(responseId ? { responseId } : {}),
    turn: message,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * Reads the chosen choice of a completion as a batch (`toBatch`): its calls in order, whether the
 * turn ended cleanly, and the message itself to echo.
 */
export function decodeOpenAIChatResponse(
  completion: ChatCompletion,
  choice: number,
  ids: CallIdGenerator,
): ToolCallBatch<ChatCompletionMessage> {
  const selected = completion.choices.find((candidate) => candidate.index === choice);
  if (!selected) {
    throw new ChoiceNotFoundError(
      choice,
      completion.choices.map((candidate) => candidate.index),
    );
  }
  const warnings: BatchWarning[] = [];
  const calls: ToolCall[] = [];
  const wires: readonly WireChatToolCall[] = selected.message.tool_calls ?? [];
  for (const wire of wires) {
    calls.push(...decodeChatToolCall(wire, calls.length, ids, warnings));
  }
  return finishChatBatch(
    selected.message,
    calls,
    selected.finish_reason,
    warnings,
    decodeChatUsage(completion.usage),
    typeof completion.id === "string" ? completion.id : undefined,
  );
}

/**
 * Recognises a completion by its shape: `choices` whose entries carry a `message` (a chunk's carry
 * a `delta`). A message taken out of a completion, the SDK's `.withResponse()` wrapper and other
 * vendors' responses have no `choices`. Compatible servers may leave `object` out.
 */
export function isOpenAIChatResponse(value: unknown): value is ChatCompletion {
  if (!isJsonObject(value) || value.object === "chat.completion.chunk") return false;
  const { choices } = value;
  return (
    Array.isArray(choices) &&
    choices.every((choice) => isJsonObject(choice) && isJsonObject(choice.message))
  );
}
