import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCallAccumulator,
  isJsonObject,
  type StreamAssembler,
  type TokenUsage,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import type { ResponseOutputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import {
  decodeResponsesItem,
  isClientCall,
  type WireResponsesItem,
} from "./decode-openai-responses-item.js";
import {
  buildResponsesBatch,
  type OpenAIResponsesTurn,
} from "./decode-openai-responses-response.js";
import { decodeResponsesUsage } from "./decode-openai-usage.js";

/**
 * Assembles a Responses stream. Per-call state is keyed by `output_index`, which every event of an
 * item carries; the name and `call_id` come from `output_item.added` (the arguments `done` event
 * lost its `name` in openai 7.57). A call is complete at `function_call_arguments.done` or
 * `output_item.done`, whichever comes first. The echoed items are taken from `output_item.done`,
 * because `output_item.added` may carry incomplete `encrypted_content`.
 *
 * A call `push` reported is in the batch whatever happens to the stream after it: it may already
 * run. A stream cut between a call's arguments' `done` and its item's `done` keeps the call, its
 * item built from `output_item.added` and the whole arguments.
 */
export function createOpenAIResponsesStreamAssembler(
  ids: CallIdGenerator,
): StreamAssembler<ResponseStreamEvent, OpenAIResponsesTurn> {
  const accumulator = createToolCallAccumulator();
  const items = new Map<number, ResponseOutputItem>();
  const added = new Map<number, WireResponsesItem>();
  const callsByOutput = new Map<number, ToolCall[]>();
  // The call items as they were when push() reported their calls: whole arguments.
  const reportedItems = new Map<number, WireResponsesItem>();
  const warnings: BatchWarning[] = [];
  let reportedCount = 0;
  let responseId = "";
  let status: string | null = null;
  let usage: TokenUsage | undefined;
  let batch: ToolCallBatch<OpenAIResponsesTurn> | undefined;

  const open = (outputIndex: number, item: WireResponsesItem) => {
    added.set(outputIndex, item);
    accumulator.open(outputIndex, { id: item.call_id, name: item.name });
  };

  const complete = (outputIndex: number): ToolCall[] => {
    const raw = accumulator.complete(outputIndex);
    const item = added.get(outputIndex);
    if (!raw || !item) return [];
    const whole = withArguments(item, raw.arguments);
    const calls = decodeResponsesItem(whole, reportedCount, ids, warnings);
    reportedItems.set(outputIndex, whole);
    reportedCount += calls.length;
    callsByOutput.set(outputIndex, calls);
    return calls;
  };

  return {
    push(event) {
      switch (event.type) {
        case "response.created":
        case "response.in_progress":
          responseId = event.response.id;
          return [];
        case "response.output_item.added": {
          const item: WireResponsesItem = event.item;
          if (isClientCall(item)) open(event.output_index, item);
          return [];
        }
        case "response.function_call_arguments.delta":
        case "response.custom_tool_call_input.delta":
          accumulator.append(event.output_index, event.delta);
          return [];
        case "response.function_call_arguments.done":
          accumulator.setArguments(event.output_index, event.arguments);
          return complete(event.output_index);
        case "response.custom_tool_call_input.done":
          accumulator.setArguments(event.output_index, event.input);
          return complete(event.output_index);
        case "response.output_item.done": {
          items.set(event.output_index, event.item);
          const item: WireResponsesItem = event.item;
          if (!isClientCall(item)) return [];
          if (!added.has(event.output_index)) open(event.output_index, item);
          // A call already complete (its arguments' done event came first) keeps what it had.
          if (accumulator.isOpen(event.output_index)) {
            accumulator.setArguments(
              event.output_index,
              item.type === "custom_tool_call" ? item.input : item.arguments,
            );
          }
          return complete(event.output_index);
        }
        case "response.completed":
        case "response.incomplete":
        case "response.failed":
          responseId = event.response.id;
          status = event.response.status ?? null;
          // Only the terminal event's response carries the usage (null before it).
          usage = decodeResponsesUsage(event.response.usage);
          // Items whose done event never came are taken from the final response.
          event.response.output.forEach((item, outputIndex) => {
            if (!items.has(outputIndex)) items.set(outputIndex, item);
          });
          return [];
        default:
          return [];
      }
    },
    textOf(event) {
      return event.type === "response.output_text.delta" && event.delta !== ""
        ? event.delta
        : undefined;
    },
    finish() {
      if (batch) return batch;
      for (const [outputIndex, item] of added) {
        if (accumulator.isOpen(outputIndex)) {
          // A call the stream cut off mid-arguments keeps what arrived of it, marked incomplete:
          // it is echoed and answered (not_executed), never run.
          const raw = accumulator.complete(outputIndex);
          if (!items.has(outputIndex)) {
            items.set(outputIndex, {
              ...withArguments(item, raw?.arguments),
              status: "incomplete",
            } as ResponseOutputItem);
          }
        } else if (!items.has(outputIndex)) {
          // Its arguments were whole and push() reported it (it may have run), but the stream
          // ended before its output_item.done: the item as it was then.
          items.set(outputIndex, reportedItems.get(outputIndex) as ResponseOutputItem);
        }
      }
      const output = [...items.entries()].sort(([a], [b]) => a - b);
      warnings.push(...accumulator.finish().warnings);
      // Keep the calls the stream already reported (same ids); decode only the other items.
      const calls: ToolCall[] = [];
      for (const [outputIndex, item] of output) {
        const own =
          callsByOutput.get(outputIndex) ?? decodeResponsesItem(item, calls.length, ids, warnings);
        for (const call of own)
          calls.push(call.index === calls.length ? call : { ...call, index: calls.length });
      }
      const turn = { responseId, output: output.map(([, item]) => item) };
      // A stream without its terminal event (completed, incomplete, failed) was cut off.
      const built = buildResponsesBatch(turn, calls, status, warnings, usage);
      batch = status === null ? { ...built, complete: false } : built;
      return batch;
    },
  };
}

function withArguments(item: WireResponsesItem, args: unknown): WireResponsesItem {
  return item.type === "custom_tool_call"
    ? { ...item, input: String(args ?? "") }
    : { ...item, arguments: args };
}

/**
 * Recognises a Responses stream event by its shape: a `type` in the API's dotted names
 * (`response.created`, `response.output_item.added`, ...), or `error`. Anthropic's event types
 * are undotted (`message_start`); Chat chunks and Gemini chunks have no `type`.
 */
export function isOpenAIResponsesEvent(value: unknown): value is ResponseStreamEvent {
  if (!isJsonObject(value) || typeof value.type !== "string") return false;
  return value.type.startsWith("response.") || value.type === "error";
}
