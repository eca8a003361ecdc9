import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageParam,
  TextCitation,
  TextCitationParam,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import {
  assertResultsMatchBatch,
  isJsonObject,
  modelOutputOf,
  ResultMismatchError,
  renderResultText,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import { ANTHROPIC_CALL_ID } from "./decode-anthropic-block.js";
import { ANTHROPIC_PROVIDER } from "./decode-anthropic-response.js";
import { InvalidCallIdError } from "./errors/invalid-call-id-error.js";

const SOURCE = "toolbatch/anthropic";

/**
 * The follow-up of an Anthropic turn: the assistant message with the turn's content verbatim
 * (thinking and redacted_thinking blocks with their signatures, text, `tool_use`, server-tool
 * blocks), then ONE user message whose content is one `tool_result` per call, in call order, and
 * nothing else. Anthropic wants every result in the next message, first ("`tool_use` ids were
 * found without `tool_result` blocks immediately after"); one result per message is merged by
 * the API but "teaches Claude to avoid parallel calls" and strict compatible servers reject it;
 * call order keeps prompt caches warm (vercel/ai#16567). Errors carry `is_error: true`.
 *
 * @throws {ResultMismatchError} unless there is one result per call, in order.
 * @throws {InvalidCallIdError} when a call id breaks Anthropic's pattern or repeats.
 */
export function encodeAnthropicFollowUp(
  batch: ToolCallBatch<Message>,
  results: readonly ToolResult[],
): MessageParam[] {
  assertResultsMatchBatch(batch, results, SOURCE, ANTHROPIC_PROVIDER);
  const uses = batch.turn.content.filter((block) => block.type === "tool_use");
  if (uses.length !== batch.calls.length) {
    throw new ResultMismatchError(
      `The batch holds ${batch.calls.length} call(s) but its turn has ${uses.length} tool_use block(s); pass the batch toBatch() or the stream assembler made, unchanged.`,
      -1,
      SOURCE,
    );
  }
  const content: ContentBlockParam[] = [];
  const answers: ToolResultBlockParam[] = [];
  const seen = new Set<string>();
  for (const block of batch.turn.content) {
    if (block.type !== "tool_use") {
      const echoed = echoBlock(block);
      if (echoed) content.push(echoed);
      continue;
    }
    const position = answers.length;
    // A synthesized id (a compatible server sent none) goes into the echo, so the result can name it.
    const id = block.id || (batch.calls[position]?.id ?? "");
    if (!ANTHROPIC_CALL_ID.test(id)) throw new InvalidCallIdError(id, position, "pattern");
    if (seen.has(id)) throw new InvalidCallIdError(id, position, "duplicate");
    seen.add(id);
    // A toolset member's result names its toolset, as its call did; a null toolset_name says
    // nothing and is left out of both.
    const { toolset_name: toolsetName, ...use } = block;
    const toolset = toolsetName ? { toolset_name: toolsetName } : {};
    content.push({ ...use, id, ...toolset });
    answers.push({ ...encodeToolResult(id, results[position] as ToolResult), ...toolset });
  }
  const assistant: MessageParam = { role: "assistant", content };
  return answers.length > 0 ? [assistant, { role: "user", content: answers }] : [assistant];
}

/**
 * One `tool_result`. Text goes as a string, left out when empty; an output that already is a list
 * of Anthropic result blocks (text, image, document, search_result, tool_reference: a screenshot
 * tool, say) goes as those blocks. Both are what the model reads of a success (`modelOutputOf`:
 * the tool's `toModelOutput` mapping, when it has one), never the output it replaced.
 */
function encodeToolResult(id: string, result: ToolResult): ToolResultBlockParam {
  const shown = result.ok ? modelOutputOf(result) : undefined;
  const content = isResultBlockList(shown) ? shown : renderResultText(result);
  return {
    type: "tool_result",
    tool_use_id: id,
    ...(content === "" ? {} : { content }),
    ...(result.ok ? {} : { is_error: true }),
  };
}

/**
 * A response block as request history. Everything is kept as sent except what a request may not
 * carry: empty text blocks ("text content blocks must be non-empty") and the response-only
 * `file_id` of citations (absent from every request citation type, in the SDK and the API schema).
 */
function echoBlock(block: ContentBlock): ContentBlockParam | undefined {
  if (block.type !== "text") return { ...block };
  if (block.text === "") return undefined;
  return block.citations
    ? { ...block, citations: block.citations.map(withoutFileId) }
    : { ...block };
}

function withoutFileId(citation: TextCitation): TextCitationParam {
  const { file_id: _fileId, ...rest } = citation as TextCitation & { file_id?: string };
  return rest as TextCitationParam;
}

type ResultBlock = Exclude<ToolResultBlockParam["content"], string | undefined>[number];

const hasSourceObject = (block: Record<string, unknown>) =>
  typeof block.source === "object" && block.source !== null;

// The request types a tool_result may hold, each with the field that makes it one.
const RESULT_BLOCK_CHECKS = new Map<string, (block: Record<string, unknown>) => boolean>([
  ["text", (block) => typeof block.text === "string" && block.text !== ""],
  ["image", hasSourceObject],
  ["document", hasSourceObject],
  [
    "search_result",
    (block) =>
      typeof block.source === "string" &&
      typeof block.title === "string" &&
      Array.isArray(block.content),
  ],
  ["tool_reference", (block) => typeof block.tool_name === "string"],
]);

function isResultBlockList(output: unknown): output is ResultBlock[] {
  return Array.isArray(output) && output.length > 0 && output.every(isResultBlock);
}

function isResultBlock(value: unknown): boolean {
  return isJsonObject(value) && RESULT_BLOCK_CHECKS.get(String(value.type))?.(value) === true;
}
