import {
  addCallWarning,
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

/** A tool call as it arrives in a Chat Completions message, typed loosely: servers differ. */
export interface WireChatToolCall {
  readonly id?: string | null;
  readonly type?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: unknown } | null;
  readonly custom?: { readonly name?: string | null; readonly input?: string | null } | null;
}

// OpenAI Chat rejects longer ids on replay (vercel/ai#5171); vLLM's run 36-46 characters.
const OPENAI_MAX_ID_LENGTH = 40;

/**
 * Turns one wire tool call into the batch's calls, starting at batch index `index`: usually one
 * call, several when it is a `multi_tool_use.parallel` wrapper. The streamed and the unstreamed
 * decoders both go through here, so they cannot disagree.
 */
export function decodeChatToolCall(
  wire: WireChatToolCall,
  index: number,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): ToolCall[] {
  if (wire.type === "custom" || (wire.custom && !wire.function)) {
    return [
      decodeCustomCall(
        { id: wire.id, name: wire.custom?.name ?? "", text: wire.custom?.input ?? "", index },
        ids,
        warnings,
      ),
    ];
  }
  const name = wire.function?.name ?? "";
  const args = wire.function?.arguments;
  const wrapped = wrappedCallsOf(wire);
  if (wrapped) return decodeWrappedCalls({ id: wire.id, name }, wrapped, index, ids, warnings);
  if (args !== undefined && args !== null && typeof args !== "string") {
    // Ollama sends every call's arguments so: one warning per batch says it.
    addCallWarning(warnings, {
      code: "arguments-object",
      message: `Call ${index} (${name}) sent its arguments as an object, not a JSON string; the follow-up sends them back as a string.`,
      callIndex: index,
    });
  }
  if (wire.id && wire.id.length > OPENAI_MAX_ID_LENGTH) {
    // vLLM's ids are all too long: one warning per batch says it.
    addCallWarning(warnings, {
      code: "id-too-long",
      message: `Call ${index} (${name}) has a ${wire.id.length}-character id; OpenAI itself accepts at most ${OPENAI_MAX_ID_LENGTH}, so this history cannot be replayed there as is.`,
      callIndex: index,
    });
  }
  return [createToolCall({ id: wire.id, name, arguments: args, index }, ids, warnings)];
}

/** The calls a `multi_tool_use.parallel` wire call wraps, or `undefined` for an ordinary call. */
export function wrappedCallsOf(wire: WireChatToolCall): WrappedCall[] | undefined {
  if (wire.type === "custom" || !wire.function) return undefined;
  return expandMultiToolUse(wire.function.name ?? "", wire.function.arguments);
}
