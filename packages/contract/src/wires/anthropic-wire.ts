import type {
  Message,
  MessageCreateParams,
  MessageParam,
  MessageStreamEvent,
} from "@anthropic-ai/sdk/resources/messages";
import { loadSpecValidator } from "../schemas/spec-validator.js";
import { parseSseEvents } from "../server/parse-sse-events.js";
import { followUpHistory } from "./follow-up-history.js";
import { rechunkText } from "./rechunk-text.js";
import { streamAnthropicMessage } from "./stream-anthropic.js";
import type { ResultCarrier, WireProfile } from "./wire-profile.js";

/** A block of a request message, typed loosely: only what the kit reads. */
type Loose = {
  type?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  is_error?: boolean;
  content?: unknown;
};

/** The Anthropic Messages wire: for `anthropic()` and any adapter of an Anthropic-compatible server. */
export const anthropicWire: WireProfile<
  Message,
  MessageStreamEvent,
  MessageCreateParams,
  MessageParam
> = {
  vendor: "anthropic",
  parseStream: (stream) =>
    parseSseEvents(stream.text)
      // The SDK skips `ping` events (and frames without data) before yielding anything.
      .filter((event) => event.event !== "ping" && event.data.trim() !== "")
      .map((event) => JSON.parse(event.data) as MessageStreamEvent),
  rechunk: (events, cuts) =>
    rechunkText(events, cuts, {
      read: (event) =>
        event.type === "content_block_delta" && event.delta.type === "input_json_delta"
          ? { key: String(event.index), text: event.delta.partial_json }
          : undefined,
      write: (event, text) =>
        event.type === "content_block_delta" && event.delta.type === "input_json_delta"
          ? { ...event, delta: { ...event.delta, partial_json: text } }
          : event,
    }),
  streamOf: (message) => streamAnthropicMessage(message),
  response: (recording) => recording.response as Message,
  history: (request) => [...request.messages],
  withHistory: (request, history, fields = {}) => ({
    ...request,
    ...fields,
    messages: [...history],
  }),
  withTools: (request, tools) => ({ ...request, tools: tools as MessageCreateParams["tools"] }),
  validateRequest: (request) =>
    loadSpecValidator("anthropic").validate("CreateMessageParams", request),
  recordedFollowUp(recording) {
    return followUpHistory(this, recording);
  },
  // The echoed calls and the results, in order; `is_error: false` and no `is_error` read the same,
  // and a result's text compares the same whether it was sent as a string or as text blocks.
  comparable: (followUp) =>
    followUp.flatMap((message) =>
      blocksOf(message).flatMap((block): unknown[] => {
        if (message.role === "assistant" && block.type === "tool_use")
          return [{ role: message.role, id: block.id, name: block.name, input: block.input }];
        if (message.role === "user" && block.type === "tool_result")
          return [
            {
              role: message.role,
              tool_use_id: block.tool_use_id,
              is_error: block.is_error === true,
              text: textOf(block.content),
            },
          ];
        return [];
      }),
    ),
  readResults: (followUp): ResultCarrier[] =>
    followUp.flatMap((message) =>
      message.role === "user"
        ? blocksOf(message)
            .filter((block) => block.type === "tool_result")
            .map((block) => ({
              callId: block.tool_use_id,
              error: block.is_error === true,
              text: textOf(block.content),
            }))
        : [],
    ),
  disablesParallel: (fields) => {
    const choice = fields.tool_choice;
    return (
      choice !== undefined && choice.type !== "none" && choice.disable_parallel_tool_use === true
    );
  },
};

function blocksOf(message: MessageParam): Loose[] {
  return typeof message.content === "string" ? [] : (message.content as Loose[]);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: { text?: string }) => part.text ?? "").join("");
}
