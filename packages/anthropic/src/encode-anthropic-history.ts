import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import {
  ANTHROPIC_CALL_IDS,
  isJsonObject,
  prepareTranscript,
  type RenderedHistory,
  renderOutputText,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptResult,
  type TranscriptWarning,
} from "@toolbatch/core";
import { TOOL_USE_FIELDS } from "./decode-anthropic-history.js";

const SOURCE = "toolbatch/anthropic";

/**
 * Renders a transcript as an Anthropic request history, after `prepareTranscript` has re-mapped
 * the ids Anthropic rejects (`^[a-zA-Z0-9_-]+$`) and removed other vendors' state.
 *
 * - `system` goes to `RenderedHistory.system`: Anthropic takes it as a request field, and its
 *   schema has no `system` role in `messages`.
 * - An assistant turn is `[state blocks, text, tool_use...]`: its own thinking first, because
 *   "a final assistant message must start with a thinking block" when thinking is on
 *   (build-with-claude/extended-thinking); no text block when the text is blank.
 * - Its results follow as ONE user message, one `tool_result` per call, in call order: "the
 *   tool_result blocks must come FIRST ... Any text must come AFTER all tool results"
 *   (tool-use/handle-tool-calls). So the user's next text joins that message, after the results.
 * - A turn with nothing to send (no text, calls or Anthropic state), a blank user turn and blank
 *   assistant text are left out with a warning: Anthropic rejects empty content and blank text.
 *
 * @throws {InvalidTranscriptError} (from `prepareTranscript`) when results do not answer their
 *   calls, or a turn other than the last has calls without results (Anthropic wants every
 *   `tool_use` answered in the next message).
 */
export function encodeAnthropicHistory(
  transcript: Transcript,
  vendor: string,
): RenderedHistory<MessageParam> {
  const prepared = prepareTranscript(transcript, {
    vendor,
    callIds: ANTHROPIC_CALL_IDS,
    source: SOURCE,
    objectInputs: true,
  });
  const warnings = [...prepared.warnings];
  const messages: MessageParam[] = [];
  // The content of the results message just sent, which the user's next text joins.
  let results: ContentBlockParam[] | undefined;
  prepared.turns.forEach((turn, index) => {
    if (turn.role === "user") {
      if (!hasText(turn.text)) {
        warnings.push({
          code: "content-dropped",
          message: `User turn ${index} is empty or blank; Anthropic rejects text without non-whitespace characters, so it is left out.`,
          turn: index,
        });
      } else if (results) results.push({ type: "text", text: turn.text });
      else messages.push({ role: "user", content: turn.text });
      return;
    }
    const content = encodeAssistantContent(turn, index, warnings);
    if (content.length === 0) {
      warnings.push({
        code: "content-dropped",
        message: `Assistant turn ${index} has no text, calls or Anthropic state left to send; Anthropic rejects empty content, so it is left out.`,
        turn: index,
      });
      return;
    }
    messages.push({ role: "assistant", content });
    // A turn without calls has `results: []`: nothing to answer, no message.
    results =
      turn.calls.length > 0 && turn.results ? encodeResults(turn.calls, turn.results) : undefined;
    if (results) messages.push({ role: "user", content: results });
  });
  const hint = thinkingHint(prepared.transcript, vendor);
  if (hint) warnings.push(hint);
  return {
    messages,
    ...(prepared.system ? { system: prepared.system } : {}),
    idMap: prepared.idMap,
    warnings,
  };
}

function encodeAssistantContent(
  turn: TranscriptAssistantTurn,
  index: number,
  warnings: TranscriptWarning[],
): ContentBlockParam[] {
  const content: ContentBlockParam[] = [];
  for (const state of turn.state ?? []) {
    if (isBlock(state.value)) content.push(state.value);
    else {
      warnings.push({
        code: "state-dropped",
        message: `${state.vendor} ${state.kind} state of turn ${index} is not an Anthropic content block; dropped.`,
        turn: index,
      });
    }
  }
  if (hasText(turn.text)) content.push({ type: "text", text: turn.text });
  else if (turn.text !== "") {
    warnings.push({
      code: "content-dropped",
      message: `The text of assistant turn ${index} is blank; Anthropic rejects text without non-whitespace characters, so it is left out.`,
      turn: index,
    });
  }
  for (const call of turn.calls) content.push(encodeToolUse(call));
  return content;
}

/** A `tool_use`. Its `input` must be an object on Anthropic: prepareTranscript wrapped any other (objectInputs). */
function encodeToolUse(call: TranscriptCall): ToolUseBlockParam {
  const input = call.input as Record<string, unknown>;
  return { type: "tool_use", id: call.id, name: call.name, input, ...toolUseFields(call) };
}

/**
 * One `tool_result` per call, in call order: the output as text, left out when empty, and
 * `is_error: true` for a failure, as the adapter's `toFollowUp` writes them.
 */
function encodeResults(
  calls: readonly TranscriptCall[],
  results: readonly TranscriptResult[],
): ContentBlockParam[] {
  return results.map((result, position): ToolResultBlockParam => {
    const text = renderOutputText(result.output);
    const { toolset_name: toolsetName } = toolUseFields(calls[position] as TranscriptCall);
    return {
      type: "tool_result",
      tool_use_id: result.callId,
      ...(text === "" ? {} : { content: text }),
      ...(result.isError ? { is_error: true } : {}),
      // A toolset member's result names its toolset, as its call did.
      ...(toolsetName ? { toolset_name: toolsetName } : {}),
    };
  });
}

/** The `caller` and `toolset_name` the call kept from Anthropic (its state, when it is ours). */
function toolUseFields(call: TranscriptCall): Pick<ToolUseBlockParam, "caller" | "toolset_name"> {
  const state = call.state;
  if (state?.kind !== TOOL_USE_FIELDS || !isJsonObject(state.value)) return {};
  return state.value as Pick<ToolUseBlockParam, "caller" | "toolset_name">;
}

/**
 * The hint a request needs when other vendors' state was dropped from a turn with calls: that
 * turn starts with no thinking block, and with thinking on Anthropic answers "a final assistant
 * message must start with a thinking block ... To avoid this requirement, disable thinking"
 * (build-with-claude/extended-thinking). Other vendors' reasoning cannot be signed for Anthropic.
 */
function thinkingHint(transcript: Transcript, vendor: string): TranscriptWarning | undefined {
  const foreign = (state: { vendor: string } | undefined) =>
    state !== undefined && state.vendor !== vendor;
  let turn = -1;
  transcript.turns.forEach((candidate, index) => {
    if (candidate.role !== "assistant" || candidate.calls.length === 0) return;
    const states = [...(candidate.state ?? []), ...candidate.calls.map((call) => call.state)];
    if (states.some(foreign)) turn = index;
  });
  if (turn < 0) return undefined;
  return {
    code: "state-dropped",
    message: `Another vendor's state (reasoning, signatures) was dropped from turns with calls (the last: turn ${turn}), so they do not start with a thinking block. With thinking enabled, Anthropic requires the last assistant turn with tool_use to start with one: send this history with thinking disabled, at least until Claude has answered it (extended thinking with tool use).`,
    turn,
  };
}

/**
 * Whether Anthropic takes this as text: an empty text block is "text content blocks must be
 * non-empty", a blank one "text content blocks must contain non-whitespace text" (a 400 either
 * way; LibreChat-AI/agents#124 tried each shape against the API).
 */
function hasText(text: string): boolean {
  return text.trim() !== "";
}

function isBlock(value: unknown): value is ContentBlockParam {
  return isJsonObject(value) && typeof (value as { type?: unknown }).type === "string";
}
