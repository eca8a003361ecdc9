import {
  assertResultsMatchBatch,
  ResultMismatchError,
  renderResultText,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import {
  isClientCall,
  type WireResponsesItem,
  wrappedCallsOfItem,
} from "./decode-openai-responses-item.js";
import type { OpenAIResponsesTurn } from "./decode-openai-responses-response.js";
import { renderWrappedResults } from "./expand-multi-tool-use.js";
import { stripSdkParsedFields } from "./strip-sdk-parsed-fields.js";

/** How the next request carries the conversation. */
export type ResponsesHistoryMode = "full" | "previous-response";

/**
 * The follow-up of a Responses turn: one `function_call_output` (or `custom_tool_call_output`) per
 * call, keyed by `call_id`, in call order. In `full` mode (for `store: false`, or whenever the
 * application keeps the history) every output item of the turn comes first, verbatim: reasoning
 * models reject a `function_call` without the reasoning item before it. In `previous-response`
 * mode only the outputs are returned; send them with `previous_response_id: batch.turn.responseId`.
 * Responses has no error flag: errors are told in the output text.
 */
export function encodeOpenAIResponsesFollowUp(
  batch: ToolCallBatch<OpenAIResponsesTurn>,
  results: readonly ToolResult[],
  mode: ResponsesHistoryMode,
): ResponseInputItem[] {
  assertResultsMatchBatch(batch, results, "toolbatch/openai");
  const outputs: ResponseInputItem[] = [];
  let cursor = 0;
  const items: readonly WireResponsesItem[] = batch.turn.output;
  for (const item of items) {
    if (!isClientCall(item)) continue;
    const wrapped = wrappedCallsOfItem(item);
    const count = wrapped?.length ?? 1;
    const first = batch.calls[cursor];
    const answers = results.slice(cursor, cursor + count);
    cursor += count;
    // The turn holds more calls than the batch: the check after the loop refuses it.
    if (cursor > batch.calls.length) break;
    const callId = item.call_id || (first as ToolCall).id;
    const output = wrapped
      ? renderWrappedResults(wrapped, answers)
      : renderResultText(answers[0] as ToolResult);
    outputs.push({
      type: item.type === "custom_tool_call" ? "custom_tool_call_output" : "function_call_output",
      call_id: callId,
      output,
    });
  }
  if (cursor !== batch.calls.length) {
    throw new ResultMismatchError(
      `The batch holds ${batch.calls.length} call(s) but its turn's output items make ${cursor}; pass the batch toBatch() or the stream assembler made, unchanged.`,
      -1,
      "toolbatch/openai",
    );
  }
  if (mode === "previous-response") return outputs;
  // Output items are valid input items; the SDK types them apart, hence the cast.
  return [
    ...(stripSdkParsedFields(batch.turn.output) as unknown as ResponseInputItem[]),
    ...outputs,
  ];
}
