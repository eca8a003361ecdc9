import type { Message, MessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";

/** Splits `value` at the positions `cuts` picks (taken modulo its length); never loses a character. */
function split(value: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (value.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    if (point <= from) continue;
    pieces.push(value.slice(from, point));
    from = point;
  }
  pieces.push(value.slice(from));
  return pieces.filter((piece, index) => piece !== "" || index === 0);
}

const ping = { type: "ping" } as unknown as MessageStreamEvent;

/**
 * The events the API streams for `whole`, with text, thinking and tool input split at `cuts`,
 * a `ping` after every block start when `pings` is set, and no input delta at all for tools whose
 * input is `{}` (what the API does for tools without parameters).
 */
export function streamAnthropicMessage(
  whole: Message,
  cuts: readonly number[] = [],
  pings = false,
): MessageStreamEvent[] {
  const events: MessageStreamEvent[] = [
    {
      type: "message_start",
      message: {
        ...whole,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
      },
    },
  ];
  whole.content.forEach((block, index) => {
    const delta = (value: object) =>
      events.push({ type: "content_block_delta", index, delta: value } as MessageStreamEvent);
    if (block.type === "text") {
      const citations = block.citations?.length ? null : block.citations;
      events.push({
        type: "content_block_start",
        index,
        content_block: { ...block, text: "", citations },
      });
      for (const piece of split(block.text, cuts)) delta({ type: "text_delta", text: piece });
      for (const citation of block.citations ?? []) delta({ type: "citations_delta", citation });
    } else if (block.type === "thinking") {
      events.push({
        type: "content_block_start",
        index,
        content_block: { ...block, thinking: "", signature: "" },
      });
      for (const piece of split(block.thinking, cuts))
        delta({ type: "thinking_delta", thinking: piece });
      delta({ type: "signature_delta", signature: block.signature });
    } else if (block.type === "tool_use" || block.type === "server_tool_use") {
      events.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input);
      if (json !== "{}") {
        for (const piece of ["", ...split(json, cuts)])
          delta({ type: "input_json_delta", partial_json: piece });
      }
    } else {
      events.push({ type: "content_block_start", index, content_block: block });
    }
    if (pings) events.push(ping);
    events.push({ type: "content_block_stop", index });
  });
  events.push(
    {
      type: "message_delta",
      delta: {
        stop_reason: whole.stop_reason,
        stop_sequence: whole.stop_sequence,
        stop_details: whole.stop_details,
        container: null,
      },
      usage: { output_tokens: whole.usage.output_tokens },
    } as MessageStreamEvent,
    { type: "message_stop" },
  );
  return events;
}
