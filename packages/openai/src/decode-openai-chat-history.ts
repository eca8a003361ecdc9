import {
  copyHistory,
  createTranscriptBuilder,
  describeValue,
  type FoundCall,
  isJsonObject,
  joinText,
  readResultText,
  type TranscriptBuilder,
  type TranscriptReading,
  type VendorState,
} from "@toolbatch/core";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { checkContent, fieldChecker, invalidEntry } from "./check-openai-history.js";
import { OPENAI_CHAT_PROVIDER } from "./decode-openai-chat-response.js";
import type { WireChatToolCall } from "./decode-openai-chat-tool-call.js";
import { type CallInput, readCallArguments } from "./read-call-arguments.js";
import { describeDroppedParts, readTextParts } from "./read-text-parts.js";

/** The `VendorState.kind` of DeepSeek-style `reasoning_content` on an assistant message. */
export const REASONING_CONTENT_KIND = "reasoning_content";

/** The `TranscriptCall.state` kind that marks a `custom` (free-form input) tool call. */
export const CUSTOM_CALL_KIND = "custom";

const TEXT = new Set(["text"]);

/**
 * Reads a Chat Completions request history into a transcript: `system` and `developer` messages
 * are system instructions, `tool` messages and the deprecated `function` role are results.
 */
export function decodeOpenAIChatHistory(
  history: readonly ChatCompletionMessageParam[],
): TranscriptReading {
  const builder = createTranscriptBuilder({ source: "toolbatch/openai" });
  (copyHistory(history, "toolbatch/openai") as ChatCompletionMessageParam[]).forEach(
    (message, at) => {
      checkMessage(message, at);
      const role: string = message.role;
      switch (message.role) {
        case "system":
        case "developer":
          builder.system(readText(message.content, `A ${role} message`, builder));
          break;
        case "user":
          readUser(message.content, builder);
          break;
        case "assistant":
          readAssistant(message, builder);
          break;
        case "tool":
        case "function":
          builder.result({
            // The deprecated function-calling API answers by name; the builder pairs it so.
            ...(message.role === "tool"
              ? { callId: message.tool_call_id }
              : { name: message.name }),
            ...readResultText(readText(message.content, `A ${role} message`, builder)),
          });
          break;
        default:
          builder.warn(
            "content-dropped",
            `A message with role ${JSON.stringify(role)} is not one Chat Completions defines; dropped.`,
          );
      }
    },
  );
  return builder.finish();
}

/**
 * What the reader needs of a message: an object with a string `role`, readable content,
 * `tool_calls`, if any, a list of objects, and each field it reads of the type it reads (names,
 * ids and texts strings, `function` and `custom` objects).
 */
function checkMessage(message: unknown, at: number): void {
  if (!isJsonObject(message) || typeof message.role !== "string") {
    const got = isJsonObject(message)
      ? `role ${describeValue(message.role)}`
      : describeValue(message);
    throw invalidEntry(
      at,
      ` is not a message: expected { role, content } with role a string, got ${got}.`,
    );
  }
  checkContent(message.content, at, "content");
  const calls = message.tool_calls;
  if (
    calls !== undefined &&
    calls !== null &&
    !(Array.isArray(calls) && calls.every(isJsonObject))
  ) {
    throw invalidEntry(at, `.tool_calls is not an array of objects, got ${describeValue(calls)}.`);
  }
  const field = fieldChecker(at);
  for (const name of ["refusal", "tool_call_id", "name", "reasoning_content"]) {
    field(message[name], "string", `.${name}`);
  }
  for (const name of ["function_call", "audio"]) field(message[name], "object", `.${name}`);
  const call = message.function_call as Record<string, unknown> | undefined;
  field(call?.name, "string", ".function_call.name");
  field((message.audio as Record<string, unknown> | undefined)?.id, "string", ".audio.id");
  (calls ?? []).forEach((wire: Record<string, unknown>, index: number) => {
    const where = `.tool_calls[${index}]`;
    field(wire.id, "string", `${where}.id`);
    field(wire.type, "string", `${where}.type`);
    field(wire.function, "object", `${where}.function`);
    field(wire.custom, "object", `${where}.custom`);
    field(
      (wire.function as Record<string, unknown> | undefined)?.name,
      "string",
      `${where}.function.name`,
    );
    const custom = wire.custom as Record<string, unknown> | undefined;
    field(custom?.name, "string", `${where}.custom.name`);
    field(custom?.input, "string", `${where}.custom.input`);
  });
}

function readUser(content: unknown, builder: TranscriptBuilder): void {
  const { text, dropped } = readTextParts(content, TEXT);
  builder.user(text);
  if (dropped.length > 0) {
    builder.warn("content-dropped", describeDroppedParts("A user message", dropped));
  }
}

/** The text of a system or tool message, which adds no turn, so its warning can come first. */
function readText(content: unknown, where: string, builder: TranscriptBuilder): string {
  const { text, dropped } = readTextParts(content, TEXT);
  if (dropped.length > 0) builder.warn("content-dropped", describeDroppedParts(where, dropped));
  return text;
}

function readAssistant(
  message: ChatCompletionAssistantMessageParam,
  builder: TranscriptBuilder,
): void {
  const content = readTextParts(message.content, TEXT);
  const text = joinText([content.text, message.refusal ?? ""]);
  const notes: string[] = [];
  if (content.dropped.length > 0) {
    notes.push(describeDroppedParts("An assistant message", content.dropped));
  }
  if (message.audio) {
    notes.push(
      `An assistant message refers to audio ${message.audio.id}; audio does not cross vendors, so the reference is dropped.`,
    );
  }
  const found: { call: FoundCall; warning?: CallInput["warning"] }[] = [];
  const wires: readonly WireChatToolCall[] = message.tool_calls ?? [];
  for (const wire of wires) found.push(readToolCall(wire));
  if (message.function_call) {
    // The deprecated function-calling API: one call without an id; the builder makes one up.
    found.push(readToolCall({ function: message.function_call }));
  }
  const reasoning = (message as { reasoning_content?: unknown }).reasoning_content;
  const state: VendorState[] =
    typeof reasoning === "string"
      ? [{ vendor: OPENAI_CHAT_PROVIDER, kind: REASONING_CONTENT_KIND, value: reasoning }]
      : [];
  builder.assistant({ text, calls: found.map((entry) => entry.call), state });
  for (const note of notes) builder.warn("content-dropped", note);
  for (const { warning } of found) if (warning) builder.warn(...warning);
}

function readToolCall(wire: WireChatToolCall): { call: FoundCall; warning?: CallInput["warning"] } {
  const id = wire.id || undefined;
  if (wire.type === "custom" || (wire.custom && !wire.function)) {
    // A custom tool takes free-form text, so the text is the input.
    return {
      call: {
        id,
        name: wire.custom?.name ?? "",
        input: wire.custom?.input ?? "",
        state: { vendor: OPENAI_CHAT_PROVIDER, kind: CUSTOM_CALL_KIND, value: null },
      },
    };
  }
  const name = wire.function?.name ?? "";
  const { input, warning } = readCallArguments(wire.function?.arguments, id, name);
  return { call: { id, name, input }, warning };
}
