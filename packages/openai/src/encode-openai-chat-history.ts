import {
  type CallIdPolicy,
  prepareTranscript,
  type RenderedHistory,
  renderTranscriptResultText,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptWarning,
  type VendorState,
} from "@toolbatch/core";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from "openai/resources/chat/completions";
import { CUSTOM_CALL_KIND, REASONING_CONTENT_KIND } from "./decode-openai-chat-history.js";
import { OPENAI_CHAT_PROVIDER } from "./decode-openai-chat-response.js";
import { renderArguments } from "./render-arguments.js";

/**
 * Renders a transcript as a Chat Completions history: the system instructions as the first
 * `system` message, then each turn; an assistant turn is one message holding all its calls (strict
 * compatible servers such as DeepSeek reject a batch split over several, Effect-TS/effect#6702),
 * followed by one `tool` message per call in call order (local servers' chat templates pair
 * results by position, ms-swift#10174). Chat has no error flag: errors are told in the text.
 */
export function encodeOpenAIChatHistory(
  transcript: Transcript,
  callIds: CallIdPolicy,
): RenderedHistory<ChatCompletionMessageParam> {
  const prepared = prepareTranscript(transcript, {
    vendor: OPENAI_CHAT_PROVIDER,
    callIds,
    source: "toolbatch/openai",
  });
  const warnings: TranscriptWarning[] = [...prepared.warnings];
  const messages: ChatCompletionMessageParam[] = [];
  if (prepared.system !== undefined) messages.push({ role: "system", content: prepared.system });
  prepared.turns.forEach((turn, index) => {
    if (turn.role === "user") {
      messages.push({ role: "user", content: turn.text });
      return;
    }
    messages.push(assistantMessage(turn, index, warnings));
    for (const result of turn.results ?? []) {
      messages.push({
        role: "tool",
        tool_call_id: result.callId,
        content: renderTranscriptResultText(result),
      });
    }
  });
  return { messages, idMap: prepared.idMap, warnings };
}

function assistantMessage(
  turn: TranscriptAssistantTurn,
  index: number,
  warnings: TranscriptWarning[],
): ChatCompletionAssistantMessageParam {
  const message: ChatCompletionAssistantMessageParam & { reasoning_content?: string } = {
    role: "assistant",
    // `null` only beside calls: a message with neither content nor calls says nothing.
    content: turn.calls.length > 0 ? turn.text || null : turn.text,
  };
  if (turn.calls.length > 0) message.tool_calls = turn.calls.map(toolCall);
  // prepareTranscript left only this vendor's state.
  for (const state of turn.state ?? []) {
    if (state.kind === REASONING_CONTENT_KIND && typeof state.value === "string") {
      // DeepSeek-style servers want their reasoning back on the assistant message.
      message.reasoning_content = state.value;
    } else warnings.push(uncarried(state, index));
  }
  for (const { state } of turn.calls) {
    if (state && state.kind !== CUSTOM_CALL_KIND) warnings.push(uncarried(state, index));
  }
  return message;
}

function uncarried(state: VendorState, turn: number): TranscriptWarning {
  return {
    code: "state-dropped",
    message: `${state.vendor} ${state.kind} is not state a Chat Completions message can carry; dropped.`,
    turn,
  };
}

function toolCall(call: TranscriptCall): ChatCompletionMessageToolCall {
  if (call.state?.kind === CUSTOM_CALL_KIND) {
    return {
      id: call.id,
      type: "custom",
      custom: {
        name: call.name,
        input: typeof call.input === "string" ? call.input : renderArguments(call.input),
      },
    };
  }
  return {
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: renderArguments(call.input) },
  };
}
