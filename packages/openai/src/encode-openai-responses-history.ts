import {
  isJsonObject,
  OPENAI_CALL_IDS,
  prepareTranscript,
  type RenderedHistory,
  renderTranscriptResultText,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptResult,
  type TranscriptWarning,
  type VendorState,
} from "@toolbatch/core";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import { isInputItem } from "./decode-openai-responses-history.js";
import { OPENAI_RESPONSES_PROVIDER } from "./decode-openai-responses-response.js";
import { renderArguments } from "./render-arguments.js";

/**
 * Renders a transcript as a Responses `input` history. An assistant turn becomes its own items
 * first (reasoning must precede the `function_call` it led to: "Item 'fc_…' of type
 * 'function_call' was provided without its required 'reasoning' item"), then its text as an
 * assistant message, then one `function_call` per call, then one `function_call_output` per
 * call in call order, keyed by `call_id`. Responses has no error flag: errors are told in the
 * output text.
 *
 * Call ids follow `OPENAI_CALL_IDS` (at most 40 characters): stricter than the 64 the published
 * schema allows for `call_id`, and what Chat Completions needs if the history moves there.
 */
export function encodeOpenAIResponsesHistory(
  transcript: Transcript,
): RenderedHistory<ResponseInputItem> {
  const prepared = prepareTranscript(transcript, {
    vendor: OPENAI_RESPONSES_PROVIDER,
    callIds: OPENAI_CALL_IDS,
    source: "toolbatch/openai",
  });
  const warnings: TranscriptWarning[] = [...prepared.warnings];
  const items: ResponseInputItem[] = [];
  if (prepared.system !== undefined) items.push({ role: "system", content: prepared.system });
  prepared.turns.forEach((turn, index) => {
    if (turn.role === "user") items.push({ role: "user", content: turn.text });
    else items.push(...assistantItems(turn, index, warnings));
  });
  return { messages: items, idMap: prepared.idMap, warnings };
}

function assistantItems(
  turn: TranscriptAssistantTurn,
  index: number,
  warnings: TranscriptWarning[],
): ResponseInputItem[] {
  // prepareTranscript left only this vendor's state: items read verbatim from a Responses history.
  const items: ResponseInputItem[] = [];
  for (const state of turn.state ?? []) {
    // Only what the reader takes for an item: an object without a type or role was refused there.
    if (isInputItem(state.value)) items.push(state.value as unknown as ResponseInputItem);
    else warnings.push(uncarried(state, index));
  }
  for (const { state } of turn.calls) {
    if (state && !isJsonObject(state.value)) warnings.push(uncarried(state, index));
  }
  // An empty message only when it is all the turn has, so the turn is not lost.
  if (turn.text !== "" || items.length + turn.calls.length === 0) {
    items.push({ role: "assistant", content: turn.text });
  }
  for (const call of turn.calls) items.push(callItem(call));
  (turn.results ?? []).forEach((result, index) => {
    items.push(outputItem(result, turn.calls[index] as TranscriptCall));
  });
  return items;
}

function uncarried(state: VendorState, turn: number): TranscriptWarning {
  return {
    code: "state-dropped",
    message: `${state.vendor} ${state.kind} is not an item or item fields; dropped.`,
    turn,
  };
}

/** A call's item fields that only Responses reads (`namespace`, the custom tool `type`). */
function extraOf(call: TranscriptCall): Record<string, unknown> {
  const value = call.state?.value;
  return isJsonObject(value) ? value : {};
}

function isCustom(call: TranscriptCall): boolean {
  return extraOf(call).type === "custom_tool_call";
}

function callItem(call: TranscriptCall): ResponseInputItem {
  const { type: _type, ...extra } = extraOf(call);
  if (isCustom(call)) {
    const input = typeof call.input === "string" ? call.input : renderArguments(call.input);
    return { ...extra, type: "custom_tool_call", call_id: call.id, name: call.name, input };
  }
  return {
    ...extra,
    type: "function_call",
    call_id: call.id,
    name: call.name,
    arguments: renderArguments(call.input),
  };
}

function outputItem(result: TranscriptResult, call: TranscriptCall): ResponseInputItem {
  const output = renderTranscriptResultText(result);
  return isCustom(call)
    ? { type: "custom_tool_call_output", call_id: result.callId, output }
    : { type: "function_call_output", call_id: result.callId, output };
}
