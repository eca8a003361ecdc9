import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";

type WireCall = Record<string, unknown>;

/** A completion with one choice holding these tool calls. */
export function completion(
  toolCalls: WireCall[],
  extra: {
    finish_reason?: string | null;
    content?: string | null;
    choices?: ChatCompletion.Choice[];
  } = {},
): ChatCompletion {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model: "gpt-test",
    choices: extra.choices ?? [
      {
        index: 0,
        finish_reason: (extra.finish_reason === undefined
          ? "tool_calls"
          : extra.finish_reason) as "tool_calls",
        logprobs: null,
        message: {
          role: "assistant",
          content: extra.content ?? null,
          refusal: null,
          tool_calls: toolCalls as unknown as ChatCompletion.Choice["message"]["tool_calls"],
        },
      },
    ],
  };
}

/** A function tool call as OpenAI sends it. */
export const fn = (id: string | undefined, name: string, args: unknown): WireCall => ({
  ...(id === undefined ? {} : { id }),
  type: "function",
  function: { name, arguments: args },
});

/** A stream chunk whose choice 0 carries these tool-call deltas. */
export function chunk(
  toolCalls: WireCall[] | undefined,
  finishReason: string | null = null,
  extraDelta: Record<string, unknown> = {},
): ChatCompletionChunk {
  return {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 0,
    model: "gpt-test",
    choices: [
      {
        index: 0,
        delta: {
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
          ...extraDelta,
        } as ChatCompletionChunk.Choice.Delta,
        finish_reason: finishReason as "tool_calls" | null,
      },
    ],
  };
}
