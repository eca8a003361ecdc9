import type {
  Response,
  ResponseOutputItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";

/**
 * A response as the Responses API streams it: `response.created` with no output yet; for each
 * output item `output_item.added` (a call with its arguments still empty), its arguments or input
 * as a delta and a done event, and `output_item.done` with the whole item; then the terminal event
 * for the response's status (`response.completed`, `.incomplete` or `.failed`).
 */
export function streamOpenAIResponses(response: Response): ResponseStreamEvent[] {
  const events: Record<string, unknown>[] = [
    { type: "response.created", response: { ...response, status: "in_progress", output: [] } },
  ];
  response.output.forEach((item: ResponseOutputItem, output_index) => {
    const at = { output_index, item_id: item.id };
    if (item.type === "function_call") {
      events.push(
        { type: "response.output_item.added", output_index, item: { ...item, arguments: "" } },
        { type: "response.function_call_arguments.delta", ...at, delta: item.arguments },
        { type: "response.function_call_arguments.done", ...at, arguments: item.arguments },
      );
    } else if (item.type === "custom_tool_call") {
      events.push(
        { type: "response.output_item.added", output_index, item: { ...item, input: "" } },
        { type: "response.custom_tool_call_input.delta", ...at, delta: item.input },
        { type: "response.custom_tool_call_input.done", ...at, input: item.input },
      );
    } else {
      events.push({ type: "response.output_item.added", output_index, item });
    }
    events.push({ type: "response.output_item.done", output_index, item });
  });
  const end =
    response.status === "incomplete" || response.status === "failed"
      ? `response.${response.status}`
      : "response.completed";
  events.push({ type: end, response });
  return events.map(
    (event, sequence_number) => ({ ...event, sequence_number }) as unknown as ResponseStreamEvent,
  );
}
