import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCall,
  type ToolCall,
} from "@toolbatch/core";
import {
  decodeCustomCall,
  decodeWrappedCalls,
  expandMultiToolUse,
  type WrappedCall,
} from "./expand-multi-tool-use.js";

/** An output item as the Responses API sends it, typed loosely: only what the adapter reads. */
export interface WireResponsesItem {
  readonly type: string;
  readonly id?: string | null;
  readonly call_id?: string | null;
  readonly name?: string | null;
  readonly arguments?: unknown;
  readonly input?: string | null;
  readonly status?: string | null;
  readonly encrypted_content?: string | null;
}

/** True for the items the client must answer: `function_call` and `custom_tool_call`. */
export function isClientCall(item: WireResponsesItem): boolean {
  return item.type === "function_call" || item.type === "custom_tool_call";
}

/** The calls a `multi_tool_use.parallel` item wraps, or `undefined` for an ordinary item. */
export function wrappedCallsOfItem(item: WireResponsesItem): WrappedCall[] | undefined {
  return item.type === "function_call"
    ? expandMultiToolUse(item.name ?? "", item.arguments)
    : undefined;
}

/**
 * Turns one output item into the batch's calls, starting at batch index `index`. Calls pair by
 * `call_id`, never by the item id (`fc_…`): answering the item id fails with "No tool output
 * found for function call". Reasoning items are only checked: they are echoed, never run. Shared
 * by the unstreamed decoder and the stream assembler.
 */
export function decodeResponsesItem(
  item: WireResponsesItem,
  index: number,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): ToolCall[] {
  if (item.type === "reasoning" && !item.encrypted_content) {
    warnings.push({
      code: "reasoning-without-content",
      message: `Reasoning item ${item.id ?? "(no id)"} has no encrypted_content, so echoing it needs store: true; with store: false, request include: ["reasoning.encrypted_content"].`,
    });
  }
  if (!isClientCall(item)) return [];
  const name = item.name ?? "";
  if (item.type === "custom_tool_call") {
    return [
      decodeCustomCall({ id: item.call_id, name, text: item.input ?? "", index }, ids, warnings),
    ];
  }
  const wrapped = wrappedCallsOfItem(item);
  if (wrapped) return decodeWrappedCalls({ id: item.call_id, name }, wrapped, index, ids, warnings);
  return [
    createToolCall({ id: item.call_id, name, arguments: item.arguments, index }, ids, warnings),
  ];
}
