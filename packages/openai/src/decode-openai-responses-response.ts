import {
  type BatchWarning,
  type CallIdGenerator,
  isJsonObject,
  type TokenUsage,
  type ToolCall,
  type ToolCallBatch,
} from "@toolbatch/core";
import type { Response, ResponseOutputItem } from "openai/resources/responses/responses";
import {
  decodeResponsesItem,
  isClientCall,
  type WireResponsesItem,
} from "./decode-openai-responses-item.js";
import { decodeResponsesUsage } from "./decode-openai-usage.js";
import { isResponsesStatusComplete } from "./map-openai-responses-status.js";

/** The provider name of Responses batches. */
export const OPENAI_RESPONSES_PROVIDER = "openai-responses";

/** The assistant turn a Responses batch keeps: every output item, verbatim, and the response id. */
export interface OpenAIResponsesTurn {
  /** The response's id, for `previous_response_id` on the next request. */
  readonly responseId: string;
  /** Every output item (reasoning, messages, calls, server tools), in order, as sent. */
  readonly output: readonly ResponseOutputItem[];
}

/**
 * The batch of a turn whose calls are decoded; shared by `toBatch` and the stream assembler. It is
 * complete only when the response completed and every call item did too (a call item can be
 * `incomplete` on its own).
 */
export function buildResponsesBatch(
  turn: OpenAIResponsesTurn,
  calls: readonly ToolCall[],
  status: string | null | undefined,
  warnings: readonly BatchWarning[],
  usage: TokenUsage | undefined,
): ToolCallBatch<OpenAIResponsesTurn> {
  const items: readonly WireResponsesItem[] = turn.output;
  const callsComplete = items.every(
    (item) => !isClientCall(item) || !item.status || item.status === "completed",
  );
  const text = readResponsesText(turn.output);
  return {
    provider: OPENAI_RESPONSES_PROVIDER,
    calls,
    complete: callsComplete && isResponsesStatusComplete(status),
    ...(status ? { stopReason: status } : {}),
    ...(text ? { text } : {}),
    ...(usage ? { usage } : {}),
    // The response's `id` (`resp_...`), as the turn keeps it; empty when a stream sent none.
    ...(turn.responseId ? { responseId: turn.responseId } : {}),
    turn,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Reads a response as a batch (`toBatch`). */
export function decodeOpenAIResponsesResponse(
  response: Response,
  ids: CallIdGenerator,
): ToolCallBatch<OpenAIResponsesTurn> {
  const warnings: BatchWarning[] = [];
  const calls: ToolCall[] = [];
  const items: readonly WireResponsesItem[] = response.output;
  for (const item of items) {
    calls.push(...decodeResponsesItem(item, calls.length, ids, warnings));
  }
  return buildResponsesBatch(
    { responseId: response.id, output: response.output },
    calls,
    response.status,
    warnings,
    decodeResponsesUsage(response.usage),
  );
}

/**
 * The `output_text` parts of the turn's `message` items, in order, joined: what the stream's
 * `response.output_text.delta` events carry. Reasoning items and `refusal` parts are not text.
 */
function readResponsesText(output: readonly ResponseOutputItem[]): string {
  let text = "";
  for (const item of output) {
    if (item.type !== "message" || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (part.type === "output_text" && typeof part.text === "string") text += part.text;
    }
  }
  return text;
}

/**
 * Recognises a Responses API response by its shape: an `output` list of items. A Chat completion
 * has `choices`, an Anthropic message `content`, a Gemini response `candidates`; a stream event
 * keeps the response under `response`.
 */
export function isOpenAIResponsesResponse(value: unknown): value is Response {
  return isJsonObject(value) && Array.isArray(value.output) && typeof value.type !== "string";
}
