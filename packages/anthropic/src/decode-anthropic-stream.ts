import type {
  ContentBlock,
  Message,
  MessageStreamEvent,
  RawContentBlockDeltaEvent,
  RawMessageDeltaEvent,
} from "@anthropic-ai/sdk/resources/messages";
import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCallAccumulator,
  isJsonObject,
  type StreamAssembler,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import { decodeAnthropicBlock, hasStreamedInput } from "./decode-anthropic-block.js";
import { buildAnthropicBatch } from "./decode-anthropic-response.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/**
 * Assembles a Messages stream into the same `Message` the API returns unstreamed (the SDK's
 * `finalMessage()` builds the same content) and into the same batch `toBatch` reads from it.
 *
 * Blocks are keyed by the events' `index`. A block's `input_json_delta` fragments are joined once,
 * at its `content_block_stop`, never parsed before (vercel/ai#13137); a tool that streams no input
 * at all keeps the `input: {}` of its `content_block_start`. `ping` and unknown events are ignored.
 *
 * `push` reports a call once its input is whole *and* the turn went on: at the next block's start,
 * or at a `message_delta` whose `stop_reason` lets the turn run. A trailing `tool_use` closes with
 * `content_block_stop` even when `max_tokens` cut it, and only the `message_delta` after it says
 * so; waiting for it keeps a truncated call from ever being reported runnable.
 */
export function createAnthropicStreamAssembler(
  ids: CallIdGenerator,
): StreamAssembler<MessageStreamEvent, Message> {
  const accumulator = createToolCallAccumulator();
  const blocks = new Map<number, ContentBlock>();
  const streamed = new Set<number>();
  const callIndexOf = new Map<number, number>();
  const calls = new Map<number, ToolCall>();
  const warnings: BatchWarning[] = [];
  // Replaced at message_start; what a stream without one gets.
  let message = placeholderMessage();
  let pending: ToolCall[] = [];
  let batch: ToolCallBatch<Message> | undefined;

  const release = (): ToolCall[] => {
    const released = pending;
    pending = [];
    return released;
  };

  const stop = (index: number) => {
    const block = blocks.get(index);
    // Only a block whose input streams has anything to settle, and only once.
    if (!block || !hasStreamedInput(block) || !accumulator.isOpen(index)) return;
    const joined = accumulator.complete(index)?.arguments;
    const input = streamed.has(index) ? String(joined) : undefined;
    const decoded = decodeAnthropicBlock(block, callIndexOf.get(index) ?? 0, ids, warnings, input);
    blocks.set(index, decoded.block);
    if (decoded.call) {
      calls.set(index, decoded.call);
      pending.push(decoded.call);
    }
  };

  const applyDelta = ({ index, delta }: RawContentBlockDeltaEvent) => {
    const block = blocks.get(index);
    if (!block) {
      warnings.push({
        code: "delta-without-block",
        message: `A content_block_delta for block ${index}, which never started, was ignored.`,
      });
      return;
    }
    if (delta.type === "input_json_delta" && hasStreamedInput(block)) {
      streamed.add(index);
      accumulator.append(index, delta.partial_json);
    } else if (delta.type === "text_delta" && block.type === "text") {
      blocks.set(index, { ...block, text: block.text + delta.text });
    } else if (delta.type === "citations_delta" && block.type === "text") {
      blocks.set(index, { ...block, citations: [...(block.citations ?? []), delta.citation] });
    } else if (delta.type === "thinking_delta" && block.type === "thinking") {
      blocks.set(index, { ...block, thinking: block.thinking + delta.thinking });
    } else if (delta.type === "signature_delta" && block.type === "thinking") {
      blocks.set(index, { ...block, signature: delta.signature });
    }
  };

  const applyMessageDelta = (event: RawMessageDeltaEvent): ToolCall[] => {
    const { delta, usage } = event;
    message = {
      ...message,
      stop_reason: delta.stop_reason,
      stop_sequence: delta.stop_sequence ?? null,
      ...("stop_details" in delta ? { stop_details: delta.stop_details } : {}),
      ...(delta.container != null ? { container: delta.container } : {}),
      // Usage counters are whole-message totals, omitted when they do not apply: never added up.
      usage: { ...message.usage, ...withoutNulls(usage) },
    };
    const last = Math.max(-1, ...blocks.keys());
    const end = mapAnthropicStopReason(delta.stop_reason, blocks.get(last)?.type === "tool_use");
    if (end.complete) return release();
    pending = [];
    return [];
  };

  return {
    push(event) {
      switch (event.type) {
        case "message_start":
          message = { ...event.message, content: [] };
          return [];
        case "content_block_start": {
          // The model has moved on: the block before this one is whole.
          const released = release();
          const block = { ...event.content_block };
          blocks.set(event.index, block);
          if (hasStreamedInput(block)) {
            accumulator.open(event.index, { id: block.id, name: block.name });
          }
          if (block.type === "tool_use") callIndexOf.set(event.index, callIndexOf.size);
          return released;
        }
        case "content_block_delta":
          applyDelta(event);
          return [];
        case "content_block_stop":
          stop(event.index);
          return [];
        case "message_delta":
          return applyMessageDelta(event);
        default:
          // message_stop, ping (when the SSE is read without the SDK), and event types to come.
          return [];
      }
    },
    textOf(event) {
      return event.type === "content_block_delta" &&
        event.delta.type === "text_delta" &&
        event.delta.text !== ""
        ? event.delta.text
        : undefined;
    },
    finish() {
      if (batch) return batch;
      const order = [...blocks.keys()].sort((a, b) => a - b);
      // Blocks the stream never closed keep what arrived of them; the turn has no stop_reason
      // then, so the batch is incomplete and nothing of it runs.
      for (const index of order) stop(index);
      warnings.push(...accumulator.finish().warnings);
      const turn: Message = {
        ...message,
        content: order.map((index) => blocks.get(index) as ContentBlock),
      };
      const ordered = order.flatMap((index) => calls.get(index) ?? []);
      batch = buildAnthropicBatch(turn, ordered, warnings);
      return batch;
    },
  };
}

/** The message of a stream that never sent `message_start`: no id, no stop reason. */
function placeholderMessage(): Message {
  return {
    id: "",
    type: "message",
    role: "assistant",
    model: "",
    content: [],
    stop_reason: null,
    stop_sequence: null,
  } as unknown as Message;
}

/** The fields of `value` that are neither null nor undefined. */
function withoutNulls<T extends object>(value: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}

/**
 * Recognises a Messages stream event by its shape: a `type` in the API's undotted snake_case
 * names (`message_start`, `content_block_delta`, `ping`, and those to come). The Responses API's
 * event types are dotted (`response.created`); Chat and Gemini chunks have no `type`.
 */
export function isAnthropicStreamEvent(value: unknown): value is MessageStreamEvent {
  return isJsonObject(value) && typeof value.type === "string" && /^[a-z_]+$/.test(value.type);
}
