import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import {
  copyHistory,
  createTranscriptBuilder,
  describeValue,
  type FoundCall,
  InvalidHistoryError,
  isJsonObject,
  joinText,
  readOutputText,
  type TranscriptBuilder,
  type TranscriptReading,
  type VendorState,
} from "@toolbatch/core";

/** A block and the position in the history of the message that held it, for warnings. */
interface PlacedBlock {
  readonly block: ContentBlockParam;
  readonly at: number;
}

/** Consecutive messages of one role, which Anthropic reads as one turn. */
interface MessageRun {
  readonly role: string;
  /** The position of its first message in the history. */
  readonly at: number;
  readonly blocks: PlacedBlock[];
}

const SOURCE = "toolbatch/anthropic";

/** What a user gives besides text: a transcript carries text only. */
const USER_MEDIA = new Set(["image", "document", "search_result"]);

/** The kind of the call state that keeps a `tool_use`'s `caller` and `toolset_name`. */
export const TOOL_USE_FIELDS = "tool-use-fields";

/**
 * Reads an Anthropic request history (`messages`) into a transcript.
 *
 * - Consecutive messages of one role are one turn, as the API merges them (results split over
 *   several user messages still answer the one assistant turn before them).
 * - User: `tool_result` blocks answer the assistant turn before (by `tool_use_id`), whatever their
 *   position; the user's text follows them, because Anthropic puts it in the same message, after
 *   the results. Images, documents and search results are dropped with a warning.
 * - Assistant: text blocks are joined; `tool_use` blocks are the calls (their `input` is already
 *   an object); `thinking` and `redacted_thinking` blocks, with their signatures, and every other
 *   block (`server_tool_use`, `web_search_tool_result`, ...) become {@link VendorState} of `vendor`,
 *   verbatim, so they go back to Anthropic unchanged and to no other vendor.
 * - `system` messages become the transcript's system instructions.
 *
 * @param vendor the codec's vendor, written on the state it reads.
 */
export function decodeAnthropicHistory(
  history: readonly MessageParam[],
  vendor: string,
): TranscriptReading {
  const builder = createTranscriptBuilder({ source: SOURCE });
  const noted = new Set<string>();
  // Once per history: these would otherwise repeat on every message that has them.
  const noteOnce = (key: string, message: string) => {
    if (noted.has(key)) return;
    noted.add(key);
    builder.warn("content-dropped", message);
  };
  for (const run of runsOf(copyHistory(history, SOURCE) as MessageParam[])) {
    for (const { block } of run.blocks) {
      if ("cache_control" in block && block.cache_control) {
        noteOnce(
          "cache",
          "cache_control breakpoints are not part of a transcript; set them again on the rendered history.",
        );
      }
    }
    if (run.role === "user") readUser(run.blocks, builder);
    else if (run.role === "assistant") readAssistant(run.blocks, builder, vendor, noteOnce);
    else if (run.role === "system") readSystem(run.blocks, builder);
    else {
      builder.warn(
        "content-dropped",
        `messages[${run.at}] has the role ${JSON.stringify(run.role)}, which Anthropic does not have; it is dropped.`,
      );
    }
  }
  return builder.finish();
}

/** Groups consecutive user or assistant messages; a `system` message stands alone. */
function runsOf(history: readonly MessageParam[]): MessageRun[] {
  const runs: MessageRun[] = [];
  history.forEach((message, at) => {
    checkMessage(message, at);
    const blocks = blocksOf(message.content).map((block) => ({ block, at }));
    const last = runs[runs.length - 1];
    if (last && last.role === message.role && message.role !== "system")
      last.blocks.push(...blocks);
    // An empty message still opens a run: it separates what comes before from what follows.
    else runs.push({ role: message.role, at, blocks });
  });
  return runs;
}

/**
 * What the reader needs of a message (a history loaded from storage is untyped JSON): an object
 * with a string `role`, and `content` a string or an array of block objects; a `tool_result`'s
 * content is absent, a string, or an array of block objects too.
 */
function checkMessage(message: unknown, at: number): void {
  const { role, content } = isJsonObject(message) ? message : {};
  if (typeof role !== "string" || !(typeof content === "string" || Array.isArray(content))) {
    const got = isJsonObject(message)
      ? `role ${describeValue(role)} and content ${describeValue(content)}`
      : describeValue(message);
    throw invalid(
      at,
      ` is not a message: expected { role, content } with role a string and content a string or an array of blocks, got ${got}.`,
    );
  }
  if (typeof content === "string") return;
  content.forEach((block: unknown, index) => {
    const where = `.content[${index}]`;
    checkBlock(block, at, where);
    if ((block as { type?: unknown }).type !== "tool_result") return;
    const inner = (block as { content?: unknown }).content;
    if (Array.isArray(inner)) {
      inner.forEach((part: unknown, n) => {
        checkBlock(part, at, `${where}.content[${n}]`);
      });
    } else if (inner !== undefined && inner !== null && typeof inner !== "string") {
      throw invalid(
        at,
        `${where}.content is not tool_result content: expected a string or an array of blocks, got ${describeValue(inner)}.`,
      );
    }
  });
}

// The string fields the reader takes from the blocks it reads; other block types are kept as state.
// A Map: a block type is the history's text, and `__proto__` or `toString` must find nothing.
const READ_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["text", ["text"]],
  ["tool_use", ["id", "name"]],
  ["tool_result", ["tool_use_id"]],
]);

function checkBlock(block: unknown, at: number, where: string): void {
  if (!isJsonObject(block) || typeof block.type !== "string") {
    const got = isJsonObject(block) ? `type ${describeValue(block.type)}` : describeValue(block);
    throw invalid(
      at,
      `${where} is not a content block: expected an object with a string type, got ${got}.`,
    );
  }
  for (const field of READ_FIELDS.get(block.type) ?? []) {
    if (typeof block[field] !== "string") {
      throw invalid(
        at,
        `${where} is not a ${block.type} block: expected ${field} a string, got ${describeValue(block[field])}.`,
      );
    }
  }
}

function invalid(at: number, message: string): InvalidHistoryError {
  return new InvalidHistoryError(message, at, SOURCE);
}

/** The blocks of a message; string content is shorthand for one text block. */
function blocksOf(content: MessageParam["content"]): readonly ContentBlockParam[] {
  if (typeof content !== "string") return content;
  return content === "" ? [] : [{ type: "text", text: content }];
}

function readUser(blocks: readonly PlacedBlock[], builder: TranscriptBuilder): void {
  const texts: string[] = [];
  const dropped: PlacedBlock[] = [];
  for (const placed of blocks) {
    const { block } = placed;
    if (block.type === "tool_result") readResult(block, placed.at, builder);
    else if (block.type === "text") texts.push(block.text.trim() === "" ? "" : block.text);
    else dropped.push(placed);
  }
  const text = joinText(texts);
  if (text !== "") builder.user(text);
  // After the user turn exists, so the warnings name it.
  for (const { block, at } of dropped) {
    const why = USER_MEDIA.has(block.type)
      ? "does not cross vendors"
      : "has no place in a user message";
    builder.warn(
      "content-dropped",
      `messages[${at}]: the ${block.type} block ${why}; it is dropped.`,
    );
  }
}

/**
 * One `tool_result`: its text (a string, or its text blocks joined), read back as the JSON object
 * or array it spells exactly (`readOutputText`); other blocks are dropped.
 */
function readResult(block: ToolResultBlockParam, at: number, builder: TranscriptBuilder): void {
  const content = block.content ?? "";
  const parts = typeof content === "string" ? [] : content;
  const texts = parts.flatMap((part) => (part.type === "text" ? [part.text] : []));
  builder.result({
    callId: block.tool_use_id,
    isError: block.is_error === true,
    output: readOutputText(typeof content === "string" ? content : joinText(texts)),
  });
  const others = [
    ...new Set(parts.filter((part) => part.type !== "text").map((part) => part.type)),
  ];
  if (others.length > 0) {
    builder.warn(
      "content-dropped",
      `messages[${at}]: the result for call ${block.tool_use_id} holds ${others.join(", ")} block(s); only its text crosses, the rest is dropped.`,
    );
  }
}

function readAssistant(
  blocks: readonly PlacedBlock[],
  builder: TranscriptBuilder,
  vendor: string,
  noteOnce: (key: string, message: string) => void,
): void {
  const texts: string[] = [];
  const calls: FoundCall[] = [];
  const state: VendorState[] = [];
  const dropped: PlacedBlock[] = [];
  for (const placed of blocks) {
    const { block } = placed;
    switch (block.type) {
      case "text":
        // A blank block says nothing (responses have had "\n\n" blocks); joinText skips "".
        texts.push(block.text.trim() === "" ? "" : block.text);
        if (block.citations?.length) {
          noteOnce(
            "citations",
            "Citations on assistant text are not part of a transcript; the text is kept without them.",
          );
        }
        break;
      case "tool_use":
        calls.push(readCall(block, vendor));
        break;
      case "image":
      case "document":
      case "search_result":
      case "tool_result":
        dropped.push(placed);
        break;
      default:
        // thinking and redacted_thinking (signature and data included), server_tool_use and the
        // server-tool result blocks, and any block a later API version adds: only Anthropic reads
        // them, and it wants them back as they were ("pass thinking blocks back unchanged").
        state.push({ vendor, kind: block.type, value: block });
    }
  }
  const text = joinText(texts);
  // An empty assistant message (a prefill left blank) carries nothing: no turn for it.
  if (text !== "" || calls.length > 0 || state.length > 0)
    builder.assistant({ text, calls, state });
  for (const { block, at } of dropped) {
    builder.warn(
      "content-dropped",
      `messages[${at}]: the ${block.type} block has no place in an assistant turn of a transcript; it is dropped.`,
    );
  }
}

/**
 * A `tool_use` as a call. A `caller` other than the default `direct` (the call came from code
 * execution: programmatic tool calling) and a `toolset_name` matter to Anthropic alone: they ride
 * along as the call's state, so they are sent back to Anthropic and to no other vendor.
 */
function readCall(block: ToolUseBlockParam, vendor: string): FoundCall {
  const fields: Pick<ToolUseBlockParam, "caller" | "toolset_name"> = {
    ...(block.caller && block.caller.type !== "direct" ? { caller: block.caller } : {}),
    ...(block.toolset_name ? { toolset_name: block.toolset_name } : {}),
  };
  const call = { id: block.id, name: block.name, input: block.input };
  return Object.keys(fields).length > 0
    ? { ...call, state: { vendor, kind: TOOL_USE_FIELDS, value: fields } }
    : call;
}

function readSystem(blocks: readonly PlacedBlock[], builder: TranscriptBuilder): void {
  const text = joinText(blocks.flatMap(({ block }) => (block.type === "text" ? [block.text] : [])));
  if (text !== "") builder.system(text);
}
