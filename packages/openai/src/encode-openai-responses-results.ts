import { assertResultsMatchBatch, type ToolCallBatch, type ToolResult } from "@toolbatch/core";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import {
  isClientCall,
  type WireResponsesItem,
  wrappedCallsOfItem,
} from "./decode-openai-responses-item.js";
import {
  OPENAI_RESPONSES_PROVIDER,
  type OpenAIResponsesTurn,
} from "./decode-openai-responses-response.js";
import { pairWireCalls } from "./pair-wire-calls.js";
import { stripSdkParsedFields } from "./strip-sdk-parsed-fields.js";

/** How the next request carries the conversation. */
export type ResponsesHistoryMode = "full" | "previous-response";

/**
 * The follow-up of a Responses turn: one `function_call_output` (or `custom_tool_call_output`) per
 * call, keyed by `call_id`, in call order. In `full` mode (for `store: false`, or whenever the
 * application keeps the history) every output item of the turn comes first, verbatim: reasoning
 * models reject a `function_call` without the reasoning item before it; a call item a compatible
 * server sent without `call_id` is echoed with the id its output names, the one synthesized for it. In `previous-response`
 * mode only the outputs are returned; send them with `previous_response_id: batch.turn.responseId`.
 * Responses has no error flag: errors are told in the output text.
 */
export function encodeOpenAIResponsesFollowUp(
  batch: ToolCallBatch<OpenAIResponsesTurn>,
  results: readonly ToolResult[],
  mode: ResponsesHistoryMode,
): ResponseInputItem[] {
  assertResultsMatchBatch(batch, results, "toolbatch/openai", OPENAI_RESPONSES_PROVIDER);
  const items: readonly WireResponsesItem[] = batch.turn.output;
  const answered = pairWireCalls(items.filter(isClientCall), batch, results, {
    id: (item) => item.call_id,
    wrapped: wrappedCallsOfItem,
    carrier: "output items",
  });
  const outputs = answered.map(
    ({ wire, id, output }): ResponseInputItem => ({
      type: wire.type === "custom_tool_call" ? "custom_tool_call_output" : "function_call_output",
      call_id: id,
      output,
    }),
  );
  if (mode === "previous-response") return outputs;
  // A call item a compatible server sent without call_id is echoed with the id its output names.
  const idOf = new Map(answered.map(({ wire, id }) => [wire, id]));
  const echoed = items.map((item) => {
    const copy = stripSdkParsedFields(item);
    const id = idOf.get(item);
    return id === undefined ? copy : { ...copy, call_id: id };
  });
  // Output items are valid input items; the SDK types them apart, hence the cast.
  return [...(echoed as unknown as ResponseInputItem[]), ...outputs];
}
