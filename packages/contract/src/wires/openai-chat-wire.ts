import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { loadSpecValidator } from "../schemas/spec-validator.js";
import { parseSseEvents } from "../server/parse-sse-events.js";
import { followUpHistory } from "./follow-up-history.js";
import { rechunkText } from "./rechunk-text.js";
import { streamOpenAIChat } from "./stream-openai-chat.js";
import type { ResultCarrier, WireProfile } from "./wire-profile.js";

type Message = ChatCompletionMessageParam;

/** The OpenAI Chat Completions wire: for `openaiChat()` and any adapter of an OpenAI-compatible server. */
export const openaiChatWire: WireProfile<
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  Message
> = {
  vendor: "openai-chat",
  parseStream: (stream) =>
    parseSseEvents(stream.text)
      .filter((event) => event.data.trim() !== "[DONE]")
      .map((event) => JSON.parse(event.data) as ChatCompletionChunk),
  rechunk: (events, cuts) =>
    rechunkText(events, cuts, {
      // A continuation delta carries only argument text for one call.
      read(chunk) {
        const [choice, ...others] = chunk.choices;
        const calls = choice?.delta.tool_calls;
        const call = calls?.[0];
        if (others.length > 0 || !choice || calls?.length !== 1 || !call || choice.finish_reason)
          return undefined;
        if (call.id || call.function?.name || typeof call.function?.arguments !== "string")
          return undefined;
        if (choice.delta.content || choice.delta.role) return undefined;
        return { key: `${choice.index}:${call.index}`, text: call.function.arguments };
      },
      write(chunk, text) {
        const choice = chunk.choices[0] as ChatCompletionChunk.Choice;
        const call = choice.delta.tool_calls?.[0] as ChatCompletionChunk.Choice.Delta.ToolCall;
        return {
          ...chunk,
          choices: [
            {
              ...choice,
              delta: { ...choice.delta, tool_calls: [{ ...call, function: { arguments: text } }] },
            },
          ],
        };
      },
    }),
  streamOf: streamOpenAIChat,
  response: (recording) => recording.response as ChatCompletion,
  history: (request) => [...request.messages],
  withHistory: (request, history, fields = {}) => ({
    ...request,
    ...fields,
    messages: [...history],
  }),
  withTools: (request, tools) => ({
    ...request,
    tools: tools as ChatCompletionCreateParams["tools"],
  }),
  validateRequest: (request) =>
    loadSpecValidator("openai").validate("CreateChatCompletionRequest", request),
  recordedFollowUp(recording) {
    return followUpHistory(this, recording);
  },
  comparable: (followUp) =>
    followUp.map((message) => {
      if (message.role === "tool") {
        return {
          role: "tool",
          tool_call_id: message.tool_call_id,
          content: textOf(message.content),
        };
      }
      if (message.role === "assistant") {
        return {
          role: "assistant",
          content: textOf(message.content ?? null) || null,
          tool_calls: (message.tool_calls ?? []).map((call) =>
            call.type === "function"
              ? {
                  id: call.id,
                  type: call.type,
                  function: { name: call.function.name, arguments: call.function.arguments },
                }
              : call,
          ),
        };
      }
      return message;
    }),
  readResults: (followUp): ResultCarrier[] =>
    followUp.flatMap((message) =>
      message.role === "tool"
        ? [{ callId: message.tool_call_id, error: undefined, text: textOf(message.content) }]
        : [],
    ),
  disablesParallel: (fields) => fields.parallel_tool_calls === false,
};

function textOf(
  content: string | ReadonlyArray<{ type: string; text?: string }> | null | undefined,
): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => part.text ?? "").join("");
}
