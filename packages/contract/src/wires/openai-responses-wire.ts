import type {
  Response,
  ResponseCreateParams,
  ResponseInputItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { loadSpecValidator } from "../schemas/spec-validator.js";
import { parseSseEvents } from "../server/parse-sse-events.js";
import { followUpHistory } from "./follow-up-history.js";
import { rechunkText } from "./rechunk-text.js";
import { streamOpenAIResponses } from "./stream-openai-responses.js";
import type { ResultCarrier, WireProfile } from "./wire-profile.js";

type Item = ResponseInputItem;
type Loose = {
  type?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  input?: string;
  output?: unknown;
};

/** The OpenAI Responses wire: for `openaiResponses()`. */
export const openaiResponsesWire: WireProfile<
  Response,
  ResponseStreamEvent,
  ResponseCreateParams,
  Item
> = {
  vendor: "openai-responses",
  parseStream(stream) {
    const bodies =
      stream.format === "jsonl"
        ? stream.text.split("\n")
        : parseSseEvents(stream.text).map((event) => event.data);
    const events: ResponseStreamEvent[] = [];
    for (const body of bodies) {
      if (body.trim() === "") continue;
      try {
        events.push(JSON.parse(body) as ResponseStreamEvent);
      } catch {
        // A recording's broken line (see its `quirk`) is not an event the SDK would yield.
      }
    }
    return events;
  },
  rechunk: (events, cuts) =>
    rechunkText(events, cuts, {
      read: (event) =>
        event.type === "response.function_call_arguments.delta" ||
        event.type === "response.custom_tool_call_input.delta"
          ? { key: `${event.type}:${event.output_index}`, text: event.delta }
          : undefined,
      write: (event, text) => ({ ...event, delta: text }) as ResponseStreamEvent,
    }),
  streamOf: streamOpenAIResponses,
  response: (recording) => recording.response as Response,
  history: (request) =>
    typeof request.input === "string"
      ? [{ role: "user", content: request.input }]
      : [...(request.input ?? [])],
  withHistory: (request, history, fields = {}) => ({ ...request, ...fields, input: [...history] }),
  withTools: (request, tools) => ({ ...request, tools: tools as ResponseCreateParams["tools"] }),
  validateRequest: (request) => loadSpecValidator("openai").validate("CreateResponse", request),
  recordedFollowUp(recording) {
    // A follow-up chained by previous_response_id carries only the new items: nothing to compare.
    const next = recording.followUpRequest as ResponseCreateParams | undefined;
    return next?.previous_response_id ? undefined : followUpHistory(this, recording);
  },
  comparable: (followUp) =>
    (followUp as Loose[]).flatMap((item): unknown[] => {
      if (item.type === "function_call")
        return [
          { type: item.type, call_id: item.call_id, name: item.name, arguments: item.arguments },
        ];
      if (item.type === "custom_tool_call")
        return [{ type: item.type, call_id: item.call_id, name: item.name, input: item.input }];
      if (isOutput(item))
        return [{ type: item.type, call_id: item.call_id, output: textOf(item.output) }];
      return [];
    }),
  readResults: (followUp): ResultCarrier[] =>
    (followUp as Loose[]).flatMap((item) =>
      isOutput(item) ? [{ callId: item.call_id, error: undefined, text: textOf(item.output) }] : [],
    ),
  disablesParallel: (fields) => fields.parallel_tool_calls === false,
};

function isOutput(item: Loose): boolean {
  return item.type === "function_call_output" || item.type === "custom_tool_call_output";
}

function textOf(output: unknown): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return "";
  return output.map((part: { text?: string }) => part.text ?? "").join("");
}
