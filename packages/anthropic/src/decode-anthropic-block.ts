import type {
  ContentBlock,
  ServerToolUseBlock,
  ToolUseBlock,
} from "@anthropic-ai/sdk/resources/messages";
import {
  addCallWarning,
  type BatchWarning,
  type CallIdGenerator,
  createToolCall,
  parseToolArguments,
  type ToolCall,
} from "@toolbatch/core";

/**
 * The ids Anthropic accepts on `tool_use.id` and `tool_result.tool_use_id`. Ids from other
 * vendors break it (Ollama's `functions.get_weather:0`): "tool_use.id: String should match
 * pattern '^[a-zA-Z0-9_-]+$'".
 */
export const ANTHROPIC_CALL_ID = /^[a-zA-Z0-9_-]+$/;

/** A block of an assistant turn and, for a `tool_use` block, the call it holds. */
export interface DecodedBlock {
  /** The block as the turn keeps it; a streamed block gets its assembled `input`. */
  readonly block: ContentBlock;
  /** The call to run, for `tool_use` blocks only. */
  readonly call?: ToolCall;
}

/** True for the blocks whose `input` streams as `input_json_delta` (the SDK's helper agrees). */
export function hasStreamedInput(block: ContentBlock): block is ToolUseBlock | ServerToolUseBlock {
  return block.type === "tool_use" || block.type === "server_tool_use";
}

/**
 * Reads one content block of an assistant turn; the unstreamed decoder and the stream assembler
 * both go through here, so they cannot disagree on what is a call. Only `tool_use` blocks are
 * calls the client answers, whoever the `caller` (a code-execution caller waits on the client
 * too). `server_tool_use` and the server-tool result blocks ran, or will run, on Anthropic's
 * side: they are kept in the turn and never answered with a `tool_result`.
 *
 * @param callIndex the position the call takes in the batch, if the block is one.
 * @param streamedInput the joined `input_json_delta` text of a streamed block; without it, the
 *   block's own `input` is read (an unstreamed block, or a streamed one that got no deltas).
 */
export function decodeAnthropicBlock(
  block: ContentBlock,
  callIndex: number,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
  streamedInput?: string,
): DecodedBlock {
  if (block.type === "server_tool_use" && streamedInput !== undefined) {
    const parsed = parseToolArguments(streamedInput);
    if (!parsed.ok) {
      warnings.push({
        code: "server-input-unparsed",
        message: `The streamed input of server tool call ${block.id} (${block.name}) is not JSON; it is echoed as {}. ${parsed.error}`,
      });
    }
    return { block: { ...block, input: parsed.ok ? parsed.value : {} } };
  }
  if (block.type !== "tool_use") return { block };
  const call = createToolCall(
    { id: block.id, name: block.name, arguments: streamedInput ?? block.input, index: callIndex },
    ids,
    warnings,
  );
  if (block.id && !ANTHROPIC_CALL_ID.test(block.id)) {
    // A compatible server's ids are all of one shape: one warning per batch says it.
    addCallWarning(warnings, {
      code: "id-invalid",
      message: `Call ${callIndex} (${block.name}) has the id "${block.id}", which Anthropic rejects (^[a-zA-Z0-9_-]+$); toFollowUp will refuse the batch.`,
      callIndex,
    });
  }
  return {
    block: streamedInput === undefined ? block : { ...block, input: call.input },
    call,
  };
}
