import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCallAccumulator,
  type StreamAssembler,
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
  decodeResponsesOutput,
  type OpenAIResponsesTurn,
} from "./decode-openai-responses-response.js";

/**
 * Assembles a Responses stream. Per-call state is keyed by `output_index`, which every event of an
 * item carries; the name and `call_id` come from `output_item.added` (the arguments `done` event
 * lost its `name` in openai 7.57). A call is complete at `function_call_arguments.done` or
 * `output_item.done`, whichever comes first. The echoed items are taken from `output_item.done`,
 * because `output_item.added` may carry incomplete `encrypted_content`.
 */
export function createOpenAIResponsesStreamAssembler(
  ids: CallIdGenerator,
): StreamAssembler<ResponseStreamEvent, OpenAIResponsesTurn> {
  const accumulator = createToolCallAccumulator();
  const items = new Map<number, ResponseOutputItem>();
  const added = new Map<number, WireResponsesItem>();
  const warnings: BatchWarning[] = [];
  const emitted: ToolCall[] = [];
  let responseId = "";
  let status: string | null = null;
  let batch: ToolCallBatch<OpenAIResponsesTurn> | undefined;

  const complete = (outputIndex: number): ToolCall[] => {
    const raw = accumulator.complete(outputIndex);
    const item = added.get(outputIndex);
    if (!raw || !item) return [];
    const calls = decodeResponsesItem(
      {
        ...item,
        arguments: raw.arguments,
        input: typeof raw.arguments === "string" ? raw.arguments : item.input,
      },
      emitted.length,
      ids,
      warnings,
    );
    emitted.push(...calls);
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
          const item = event.item as WireResponsesItem;
          if (isClientCall(item)) {
            added.set(event.output_index, item);
            accumulator.open(event.output_index, { id: item.call_id, name: item.name });
          }
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
          const item = event.item as WireResponsesItem;
          if (!isClientCall(item)) return [];
          if (!added.has(event.output_index)) {
            added.set(event.output_index, item);
            accumulator.open(event.output_index, { id: item.call_id, name: item.name });
          }
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
          // Items whose done event never came are taken from the final response.
          event.response.output.forEach((item, outputIndex) => {
            if (!items.has(outputIndex)) items.set(outputIndex, item);
          });
          return [];
        default:
          return [];
      }
    },
    finish() {
      if (batch) return batch;
      const output = [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
      // Decode the final items once more for the batch, keeping the calls the stream reported.
      const { unterminated, warnings: streamWarnings } = accumulator.finish();
      const finalWarnings = [...warnings, ...streamWarnings];
      const decoded = decodeResponsesOutput({ responseId, output }, status, ids, []);
      const calls = emitted.length === decoded.calls.length ? emitted : decoded.calls;
      batch = {
        ...decoded,
        calls,
        complete: decoded.complete && status !== null && unterminated.length === 0,
        ...(finalWarnings.length > 0 || decoded.warnings
          ? { warnings: [...finalWarnings, ...(decoded.warnings ?? [])] }
          : {}),
      };
      return batch;
    },
  };
}
