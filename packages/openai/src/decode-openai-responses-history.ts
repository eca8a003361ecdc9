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
import type { ResponseInputItem } from "openai/resources/responses/responses";
import { checkContent, fieldChecker, invalidEntry } from "./check-openai-history.js";
import { OPENAI_RESPONSES_PROVIDER } from "./decode-openai-responses-response.js";
import { readCallArguments } from "./read-call-arguments.js";
import { describeDroppedParts, readTextParts } from "./read-text-parts.js";

/**
 * Items only the Responses API can read back, kept verbatim as vendor state (kind = item type):
 * the output items it replays (reasoning with its `encrypted_content`, hosted tool calls,
 * compaction) and the client's answers to hosted tools, without which a replayed call would be
 * unanswered. `item_reference` points at an item stored by OpenAI.
 */
const REPLAYABLE = new Set([
  "reasoning",
  "compaction",
  "item_reference",
  "additional_tools",
  "file_search_call",
  "web_search_call",
  "image_generation_call",
  "code_interpreter_call",
  "computer_call",
  "computer_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "mcp_list_tools",
  "mcp_call",
  "mcp_approval_request",
  "mcp_approval_response",
  "tool_search_call",
  "tool_search_output",
  "program",
  "program_output",
]);

const INPUT_TEXT = new Set(["input_text"]);
// Assistant messages come back as output items (`output_text`); some clients write `input_text`.
const ASSISTANT_TEXT = new Set(["output_text", "input_text"]);
// The transcript holds a call's id, name and input; these item fields need no keeping.
const CALL_FIELDS = new Set(["type", "id", "status", "call_id", "name", "arguments", "input"]);

/** An input item typed loosely: only what the reader looks at. */
interface LooseItem {
  readonly type?: string | null;
  readonly role?: string;
  readonly content?: unknown;
  readonly id?: string | null;
  readonly call_id?: string | null;
  readonly name?: string;
  readonly arguments?: unknown;
  readonly input?: string;
  readonly output?: unknown;
  readonly phase?: string | null;
}

/** The assistant-side items read since the last result or user message: one assistant turn. */
interface OpenTurn {
  readonly texts: string[];
  readonly calls: FoundCall[];
  readonly state: VendorState[];
  /** Warnings about the turn, given once it exists so they point at it. */
  readonly warnings: (readonly [code: string, message: string])[];
}

/**
 * Reads a Responses `input` history into a transcript. Consecutive assistant-side items (reasoning,
 * assistant messages, calls, hosted tool items) make one assistant turn; a call output or a user
 * message ends it.
 */
export function decodeOpenAIResponsesHistory(
  history: readonly ResponseInputItem[],
): TranscriptReading {
  const builder = createTranscriptBuilder({ source: "toolbatch/openai" });
  let open: OpenTurn | undefined;
  const turn = (): OpenTurn => {
    open ??= { texts: [], calls: [], state: [], warnings: [] };
    return open;
  };
  const close = () => {
    if (!open) return;
    builder.assistant({ text: joinText(open.texts), calls: open.calls, state: open.state });
    for (const warning of open.warnings) builder.warn(...warning);
    open = undefined;
  };
  copyHistory(history, "toolbatch/openai").forEach((entry, at) => {
    const item = checkItem(entry, at);
    const type = itemType(item);
    if (type === "message") {
      checkContent(item.content, at, "content");
      if (item.role === "assistant") readAssistantMessage(item, turn());
      else {
        if (item.role === "user") close();
        readInstructionOrUser(item, builder);
      }
    } else if (type === "function_call" || type === "custom_tool_call") {
      readCall(item, type, turn());
    } else if (type === "function_call_output" || type === "custom_tool_call_output") {
      close();
      checkContent(item.output, at, "output");
      const { text, dropped } = readTextParts(item.output, INPUT_TEXT);
      builder.result({ callId: item.call_id ?? undefined, ...readResultText(text) });
      if (dropped.length > 0) {
        builder.warn(
          "content-dropped",
          describeDroppedParts(`The output of ${item.call_id}`, dropped),
        );
      }
    } else if (REPLAYABLE.has(type)) {
      turn().state.push({ vendor: OPENAI_RESPONSES_PROVIDER, kind: type, value: item });
    } else {
      builder.warn(
        "content-dropped",
        `An input item of type ${JSON.stringify(type)} is not one the transcript can carry; dropped.`,
      );
    }
  });
  close();
  return builder.finish();
}

/**
 * What the reader needs of an item: an object with a string `type` or `role` (or the `id` of an
 * untyped item reference), and each field it reads that is present of the type it reads.
 */
function checkItem(entry: unknown, at: number): LooseItem {
  if (!isInputItem(entry)) {
    throw invalidEntry(
      at,
      ` is not an input item: expected an object with a string type or role, got ${describeValue(entry)}.`,
    );
  }
  const field = fieldChecker(at);
  for (const name of ["type", "role", "id", "call_id", "name", "phase"]) {
    field(entry[name], "string", `.${name}`);
  }
  if (entry.type === "custom_tool_call") field(entry.input, "string", ".input");
  return entry as LooseItem;
}

/** An item reference may omit its type (`ResponseInputItem.ItemReference`). */
/**
 * Whether a value has the shape every Responses input item has: an object with a string `type`
 * or `role`, or an item reference (`{ id }`). The history encoder checks vendor state with it, so
 * it never renders an item this reader refuses.
 */
export function isInputItem(entry: unknown): entry is Record<string, unknown> {
  return (
    isJsonObject(entry) &&
    (typeof entry.type === "string" || typeof entry.role === "string" || isReference(entry))
  );
}

function isReference(entry: Record<string, unknown>): boolean {
  return (entry.type === undefined || entry.type === null) && typeof entry.id === "string";
}

/** An item's type: messages may omit `type` (EasyInputMessage), and so may an item reference. */
function itemType(item: LooseItem): string {
  if (item.type) return item.type;
  if (item.role !== undefined) return "message";
  return item.id ? "item_reference" : "(untyped)";
}

function readInstructionOrUser(item: LooseItem, builder: TranscriptBuilder): void {
  const { text, dropped } = readTextParts(item.content, INPUT_TEXT);
  const where = `A ${item.role} message`;
  if (item.role === "user") builder.user(text);
  else if (item.role === "system" || item.role === "developer") builder.system(text);
  else {
    builder.warn(
      "content-dropped",
      `A message with role ${JSON.stringify(item.role)} is not one Responses defines; dropped.`,
    );
    return;
  }
  if (dropped.length > 0) builder.warn("content-dropped", describeDroppedParts(where, dropped));
}

function readAssistantMessage(item: LooseItem, open: OpenTurn): void {
  const { text, dropped } = readTextParts(item.content, ASSISTANT_TEXT);
  open.texts.push(text);
  if (dropped.length > 0) {
    open.warnings.push(["content-dropped", describeDroppedParts("An assistant message", dropped)]);
  }
  if (item.phase) {
    open.warnings.push([
      "content-dropped",
      `An assistant message's phase (${item.phase}) is not kept; the rendered message has none.`,
    ]);
  }
}

function readCall(item: LooseItem, type: string, open: OpenTurn): void {
  const id = item.call_id || undefined;
  const name = item.name ?? "";
  const extra = extraFields(item);
  const state =
    Object.keys(extra).length > 0
      ? { vendor: OPENAI_RESPONSES_PROVIDER, kind: describeExtra(extra), value: extra }
      : undefined;
  if (type === "custom_tool_call") {
    // A custom tool takes free-form text, so the text is the input.
    open.calls.push({ id, name, input: item.input ?? "", state });
    return;
  }
  const { input, warning } = readCallArguments(item.arguments, id, name);
  open.calls.push({ id, name, input, state });
  if (warning) open.warnings.push(warning);
}

/**
 * What a call item holds beyond the transcript's call: its `type` when it is a custom tool call,
 * and fields such as `namespace` (namespaced tools) that only Responses reads.
 */
function extraFields(item: LooseItem): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!CALL_FIELDS.has(key) && value !== undefined && value !== null) extra[key] = value;
  }
  return item.type === "custom_tool_call" ? { type: item.type, ...extra } : extra;
}

function describeExtra(extra: Record<string, unknown>): string {
  return extra.type === "custom_tool_call"
    ? "custom_tool_call"
    : Object.keys(extra).sort().join(", ");
}
