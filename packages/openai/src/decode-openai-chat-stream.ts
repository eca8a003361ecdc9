import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCallAccumulator,
  isJsonObject,
  type RawToolCall,
  type StreamAssembler,
  type TokenUsage,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import type {
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageToolCall,
} from "openai/resources/chat/completions";
import { finishChatBatch } from "./decode-openai-chat-response.js";
import { decodeChatToolCall, type WireChatToolCall } from "./decode-openai-chat-tool-call.js";
import { decodeChatUsage } from "./decode-openai-usage.js";
import { mergeChatDelta } from "./merge-chat-delta.js";

// The delta fields the assembler reads itself; every other one is accumulated by mergeChatDelta.
const READ_FIELDS = new Set(["role", "content", "refusal", "tool_calls"]);

/** A streamed tool-call delta as servers really send it: `index` or `id` may be missing or empty. */
interface WireDelta {
  readonly index?: number | null;
  readonly id?: string | null;
  readonly type?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: unknown } | null;
  readonly custom?: { readonly name?: string | null; readonly input?: string | null } | null;
}

/**
 * Assembles a Chat Completions stream of one choice. Calls are keyed by the delta's `index`, but
 * not trusted blindly: a reused index with a new id starts a new call (vLLM, lmdeploy#3412: the
 * SDK's own helper merges them into `{}{}`), a delta without `index` continues the latest call
 * unless it brings a new id (Ollama#7881: the SDK's helper throws), and `id: ""` is no id (vLLM).
 * A call is complete as soon as the next call starts (OpenAI streams calls one after another) or
 * the finish reason arrives, never because its arguments happen to parse (vercel/ai#13137).
 * Message fields other than text, refusal and calls are accumulated too (see `mergeChatDelta`),
 * so the assembled message echoes what the unstreamed message would.
 */
export function createOpenAIChatStreamAssembler(
  choice: number,
  ids: CallIdGenerator,
): StreamAssembler<ChatCompletionChunk, ChatCompletionMessage> {
  const accumulator = createToolCallAccumulator();
  const keyOfIndex = new Map<number, number>();
  const idOfKey = new Map<number, string>();
  const customKeys = new Set<number>();
  const emitted: ToolCall[] = [];
  const warnings: BatchWarning[] = [];
  let content: string | null = null;
  let refusal: string | null = null;
  // Fields of the message only some servers send (reasoning_content, reasoning_details, ...).
  const otherFields = new Map<string, unknown>();
  let lastKey: number | undefined;
  let finishReason: string | null = null;
  let usage: TokenUsage | undefined;
  // Every chunk carries the completion's id; the first one that has it counts.
  let responseId: string | undefined;
  let batch: ToolCallBatch<ChatCompletionMessage> | undefined;

  const warnOnce = (warning: BatchWarning) => {
    if (!warnings.some((known) => known.code === warning.code)) warnings.push(warning);
  };

  const convert = (raw: RawToolCall): ToolCall[] => {
    const calls = decodeChatToolCall(
      toWire(raw, customKeys.has(raw.index)),
      emitted.length,
      ids,
      warnings,
    );
    emitted.push(...calls);
    return calls;
  };

  const openKey = (id: string | undefined, completed: ToolCall[]): number => {
    // OpenAI streams one call after another: a new call proves the earlier ones complete.
    for (const raw of accumulator.completeAll()) completed.push(...convert(raw));
    const key = accumulator.size;
    accumulator.open(key);
    if (id) idOfKey.set(key, id);
    return key;
  };

  // A delta continues the call its index names (without an index, the latest call), unless it
  // brings an id other than the one that call already has.
  const keyFor = (delta: WireDelta, completed: ToolCall[]): number => {
    const id = delta.id || undefined;
    const wireIndex = typeof delta.index === "number" ? delta.index : undefined;
    const candidate = wireIndex === undefined ? lastKey : keyOfIndex.get(wireIndex);
    const candidateId = candidate === undefined ? undefined : idOfKey.get(candidate);
    if (candidate !== undefined && !(id && candidateId && candidateId !== id)) {
      if (id && !candidateId) idOfKey.set(candidate, id);
      return candidate;
    }
    // Said once per turn: a server that does this does it for every call (Ollama, vLLM).
    if (wireIndex === undefined) {
      warnOnce({
        code: "index-missing",
        message:
          "Streamed tool-call deltas had no index; each call was placed by its id and arrival order.",
      });
    } else if (candidate !== undefined) {
      warnOnce({
        code: "index-reused",
        message: `Tool-call index ${wireIndex} came back with a new id (${id}); it was read as a new call, as is every later delta that does so.`,
      });
    }
    const key = openKey(id, completed);
    if (wireIndex !== undefined) keyOfIndex.set(wireIndex, key);
    return key;
  };

  const readDelta = (call: WireDelta, completed: ToolCall[]) => {
    const key = keyFor(call, completed);
    lastKey = key;
    const name = call.function?.name ?? call.custom?.name;
    accumulator.open(key, { id: idOfKey.get(key), name });
    if (call.type === "custom" || call.custom) customKeys.add(key);
    const fragment = call.function?.arguments ?? call.custom?.input;
    if (typeof fragment === "string") {
      if (fragment !== "") accumulator.append(key, fragment);
    } else if (fragment !== undefined && fragment !== null) {
      accumulator.setArguments(key, fragment);
    }
  };

  return {
    push(chunk) {
      // With stream_options.include_usage, OpenAI sends it in a last chunk of its own, choices
      // empty; some compatible servers put it on the finish chunk. The latest one counts.
      usage = decodeChatUsage(chunk.usage) ?? usage;
      if (typeof chunk.id === "string" && chunk.id) responseId ??= chunk.id;
      let completed: ToolCall[] | undefined;
      for (const delta of chunk.choices ?? []) {
        if ((delta.index ?? 0) !== choice) continue;
        const body = delta.delta ?? {};
        if (typeof body.content === "string") content = (content ?? "") + body.content;
        if (typeof body.refusal === "string") refusal = (refusal ?? "") + body.refusal;
        for (const [field, value] of Object.entries(body)) {
          if (!READ_FIELDS.has(field))
            otherFields.set(field, mergeChatDelta(otherFields.get(field), value));
        }
        const calls: readonly WireDelta[] | null | undefined = body.tool_calls;
        if (calls) {
          for (const call of calls) {
            // Most deltas only continue a known call's arguments: take the short way.
            const fn = call.function;
            if (
              typeof call.index === "number" &&
              !call.id &&
              !call.type &&
              fn &&
              !fn.name &&
              typeof fn.arguments === "string"
            ) {
              const known = keyOfIndex.get(call.index);
              if (known !== undefined) {
                lastKey = known;
                if (fn.arguments !== "") accumulator.append(known, fn.arguments);
                continue;
              }
            }
            completed ??= [];
            readDelta(call, completed);
          }
        }
        if (delta.finish_reason) {
          finishReason = delta.finish_reason;
          completed ??= [];
          for (const raw of accumulator.completeAll()) completed.push(...convert(raw));
        }
      }
      return completed ?? [];
    },
    textOf(chunk) {
      const delta = chunk.choices?.find((entry) => (entry.index ?? 0) === choice)?.delta;
      return typeof delta?.content === "string" && delta.content !== "" ? delta.content : undefined;
    },
    finish() {
      if (batch) return batch;
      const { calls, unterminated, warnings: streamWarnings } = accumulator.finish();
      for (const raw of unterminated) convert(raw);
      warnings.push(...streamWarnings);
      const toolCalls = calls.map(
        (raw) => toWire(raw, customKeys.has(raw.index)) as ChatCompletionMessageToolCall,
      );
      const message: ChatCompletionMessage = {
        role: "assistant",
        content,
        refusal,
        ...Object.fromEntries(otherFields),
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      };
      batch = finishChatBatch(message, emitted, finishReason, warnings, usage, responseId);
      return batch;
    },
  };
}

/** The wire form of an assembled call, as an unstreamed message would carry it. */
function toWire(raw: RawToolCall, custom: boolean): WireChatToolCall {
  const id = raw.id ?? "";
  if (custom) {
    return { id, type: "custom", custom: { name: raw.name, input: String(raw.arguments ?? "") } };
  }
  return { id, type: "function", function: { name: raw.name, arguments: raw.arguments } };
}

/**
 * Recognises a stream chunk by its shape: `choices` (empty in a usage-only chunk) whose entries
 * carry no whole `message`. Other vendors' events have no `choices`.
 */
export function isOpenAIChatChunk(value: unknown): value is ChatCompletionChunk {
  if (!isJsonObject(value) || value.object === "chat.completion") return false;
  const { choices } = value;
  return (
    Array.isArray(choices) &&
    choices.every((choice) => isJsonObject(choice) && !("message" in choice))
  );
}
