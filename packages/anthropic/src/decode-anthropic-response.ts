import type { ContentBlock, Message } from "@anthropic-ai/sdk/resources/messages";
import {
  type BatchWarning,
  type CallIdGenerator,
  isJsonObject,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import { decodeAnthropicBlock } from "./decode-anthropic-block.js";
import { decodeAnthropicUsage } from "./decode-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/** The provider name of Anthropic batches. */
export const ANTHROPIC_PROVIDER = "anthropic";

/** Reads a message's `tool_use` blocks as a batch (`toBatch`); the message is the turn, verbatim. */
export function decodeAnthropicResponse(
  message: Message,
  ids: CallIdGenerator,
): ToolCallBatch<Message> {
  const warnings: BatchWarning[] = [];
  const calls: ToolCall[] = [];
  for (const block of message.content) {
    const { call } = decodeAnthropicBlock(block, calls.length, ids, warnings);
    if (call) calls.push(call);
  }
  return buildAnthropicBatch(message, calls, warnings);
}

/**
 * The batch of a turn whose calls are decoded: complete or not from `stop_reason` and the last
 * block, with what the follow-up will need to know told as warnings. Shared by `toBatch` and the
 * stream assembler's `finish`.
 */
export function buildAnthropicBatch(
  message: Message,
  calls: readonly ToolCall[],
  warnings: BatchWarning[],
): ToolCallBatch<Message> {
  const reason = message.stop_reason;
  const end = mapAnthropicStopReason(reason, message.content.at(-1)?.type === "tool_use");
  if (end.unknown) {
    warnings.push({
      code: "unknown-stop-reason",
      message: `stop_reason "${reason}" is not one Anthropic documents; the turn was treated as complete.`,
    });
  }
  describeEchoedBlocks(message.content, warnings);
  const text = readAnthropicText(message.content);
  const usage = decodeAnthropicUsage(message);
  return {
    provider: ANTHROPIC_PROVIDER,
    calls,
    complete: end.complete,
    ...(reason ? { stopReason: reason } : {}),
    ...(text ? { text } : {}),
    ...(usage ? { usage } : {}),
    // The message `id` (`msg_...`); empty for a stream that never sent `message_start`.
    ...(message.id ? { responseId: message.id } : {}),
    turn: message,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * The text of the turn's `text` blocks, joined in order: what the stream's `text_delta` events
 * carry. Thinking, tool and server-tool blocks are not text.
 */
function readAnthropicText(content: readonly ContentBlock[]): string {
  let text = "";
  for (const block of content) if (block.type === "text") text += block.text;
  return text;
}

/**
 * What the echo of these blocks does besides copying them. A `server_tool_use` without its result
 * block in the same turn is a mixed turn: Anthropic runs the server tool only after the client's
 * results come back, and rejects a follow-up with anything after them ("`web_fetch` tool use
 * with id `srvtoolu_…` was found without a corresponding `web_fetch_tool_result` block").
 */
function describeEchoedBlocks(content: readonly ContentBlock[], warnings: BatchWarning[]): void {
  const answered = new Set<string>();
  for (const block of content) {
    if ("tool_use_id" in block) answered.add(block.tool_use_id);
  }
  for (const block of content) {
    if (block.type === "server_tool_use" && !answered.has(block.id)) {
      warnings.push({
        code: "server-tool-pending",
        message: `Server tool call ${block.id} (${block.name}) has no result in this turn: Anthropic runs it once the tool results are sent. Send the follow-up as it is; text added after its tool_result blocks is rejected.`,
      });
    }
    if (block.type === "text" && block.text === "") {
      warnings.push({
        code: "empty-text-dropped",
        message:
          "The turn holds an empty text block; the follow-up leaves it out, as Anthropic rejects empty text blocks in a request.",
      });
    }
  }
}

/**
 * Recognises a Messages API response by its shape: `type: "message"` and a `content` list. The
 * SDK's `.withResponse()` wrapper and other vendors' responses have neither.
 */
export function isAnthropicResponse(value: unknown): value is Message {
  return isJsonObject(value) && value.type === "message" && Array.isArray(value.content);
}
