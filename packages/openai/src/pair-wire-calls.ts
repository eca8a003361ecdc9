import {
  ResultMismatchError,
  renderResultText,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "@toolbatch/core";
import { renderWrappedResults, type WrappedCall } from "./expand-multi-tool-use.js";

/** A call of the turn as sent (a Chat `tool_call`, a Responses call item), with its answer. */
export interface AnsweredWireCall<Wire> {
  /** The call as the turn holds it. */
  readonly wire: Wire;
  /**
   * The id the follow-up answers it under: its own, or, where the server sent none, the id
   * synthesized for its call. The echoed call must carry it too, or the answer names a call the
   * server cannot find.
   */
  readonly id: string;
  /** Its answer's text: its result, or, for a `multi_tool_use.parallel` wrapper, all of its calls'. */
  readonly output: string;
}

/** How to read an OpenAI API's wire calls. */
export interface WireCallReader<Wire> {
  /** The call's own id (`tool_calls[].id`, Responses `call_id`), empty or missing when none came. */
  id(wire: Wire): string | null | undefined;
  /** The calls it wraps, when it is a `multi_tool_use.parallel` wrapper. */
  wrapped(wire: Wire): WrappedCall[] | undefined;
  /** What the turn calls its calls, for the mismatch error: `tool_calls`, `output items`. */
  readonly carrier: string;
}

/**
 * Pairs the calls of a turn, as the server sent them, with the batch's calls and results: one
 * wire call is one batch call, or several when it is a wrapper. Shared by both OpenAI APIs'
 * follow-ups, so each answers and echoes a call under the same id.
 *
 * @throws {ResultMismatchError} when the turn's calls do not make the batch's calls.
 */
export function pairWireCalls<Wire>(
  wires: readonly Wire[],
  batch: ToolCallBatch,
  results: readonly ToolResult[],
  reader: WireCallReader<Wire>,
): AnsweredWireCall<Wire>[] {
  const answered: AnsweredWireCall<Wire>[] = [];
  let cursor = 0;
  for (const wire of wires) {
    const wrapped = reader.wrapped(wire);
    const count = wrapped?.length ?? 1;
    const first = batch.calls[cursor];
    const answers = results.slice(cursor, cursor + count);
    cursor += count;
    // The turn holds more calls than the batch: the check after the loop refuses it.
    if (cursor > batch.calls.length) break;
    answered.push({
      wire,
      id: reader.id(wire) || (first as ToolCall).id,
      output: wrapped
        ? renderWrappedResults(wrapped, answers)
        : renderResultText(answers[0] as ToolResult),
    });
  }
  if (cursor !== batch.calls.length) {
    throw new ResultMismatchError(
      `The batch holds ${batch.calls.length} call(s) but its turn's ${reader.carrier} make ${cursor}; pass the batch toBatch() or the stream assembler made, unchanged.`,
      -1,
      "toolbatch/openai",
    );
  }
  return answered;
}
