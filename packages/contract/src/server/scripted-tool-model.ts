import type { RecordedRequest } from "./recorded-request.js";
import { jsonReply, type ServerReply, sseReply } from "./server-reply.js";
import type { SseEventInit } from "./sse-frame.js";
import type { ReplyFunction } from "./vendor-server.js";

/** What a scripted model does: ask for some calls, then answer from their results. */
export interface ToolModelScript {
  /** The calls the model asks for, in order (all in one turn, or one per turn when parallel calls are off). */
  readonly calls: ReadonlyArray<{
    readonly name: string;
    readonly arguments: Readonly<Record<string, unknown>>;
  }>;
  /** The final answer, written from the result texts the follow-ups carried, in call order. */
  readonly answer: (results: readonly string[]) => string;
  /** A pause before each streamed call, in milliseconds, so calls complete apart. Default 0. */
  readonly gapMs?: number;
}

type Body = Record<string, unknown>;
type Turn =
  | { readonly calls: ToolModelScript["calls"]; readonly text?: undefined }
  | { readonly calls?: undefined; readonly text: string };

/**
 * A model for the loopback server that behaves like a vendor's: on the first turn it asks for the
 * script's calls, all at once, or one per turn when the request turns parallel calls off (OpenAI
 * `parallel_tool_calls: false`, Anthropic `disable_parallel_tool_use`; Gemini has no switch); once
 * every call is answered it answers from the results. It streams when the request asks to,
 * in each vendor's own wire format, and works for every route the server speaks.
 */
export function scriptedToolModel(script: ToolModelScript): ReplyFunction {
  return (request) => {
    const body = (request.body ?? {}) as Body;
    const codec = CODECS[request.route ?? "openai-chat"];
    const results = codec.results(body);
    const remaining = script.calls.slice(results.length);
    const turn: Turn =
      remaining.length === 0
        ? { text: script.answer(results) }
        : { calls: codec.parallelOff(body) ? remaining.slice(0, 1) : remaining };
    const offset = results.length;
    return codec.stream(request, body)
      ? codec.streamed(turn, offset, script.gapMs ?? 0)
      : codec.whole(turn, offset);
  };
}

interface Codec {
  /** The result texts the request's history carries, in order. */
  results(body: Body): string[];
  parallelOff(body: Body): boolean;
  stream(request: RecordedRequest, body: Body): boolean;
  whole(turn: Turn, offset: number): ServerReply;
  streamed(turn: Turn, offset: number, gapMs: number): ServerReply;
}

const text = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content
          .map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : ""))
          .join("")
      : JSON.stringify(content ?? null);

const list = (value: unknown): Body[] => (Array.isArray(value) ? (value as Body[]) : []);
const paced = (events: SseEventInit[], gapMs: number, pausedAt: (index: number) => boolean) =>
  sseReply(events, gapMs > 0 ? { gaps: events.map((_, i) => (pausedAt(i) ? gapMs : 0)) } : {});

const openaiChat: Codec = {
  results: (body) =>
    list(body.messages)
      .filter((m) => m.role === "tool")
      .map((m) => text(m.content)),
  parallelOff: (body) => body.parallel_tool_calls === false,
  stream: (_request, body) => body.stream === true,
  whole: (turn, offset) =>
    jsonReply({
      id: "chatcmpl-scripted",
      object: "chat.completion",
      created: 0,
      model: "scripted",
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: turn.calls ? "tool_calls" : "stop",
          message: {
            role: "assistant",
            content: turn.text ?? null,
            refusal: null,
            ...(turn.calls
              ? {
                  tool_calls: turn.calls.map((call, i) => ({
                    id: `call_${offset + i}`,
                    type: "function",
                    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                  })),
                }
              : {}),
          },
        },
      ],
    }),
  streamed(turn, offset, gapMs) {
    const chunk = (delta: Body, finish: string | null = null) => ({
      data: {
        id: "chatcmpl-scripted",
        object: "chat.completion.chunk",
        created: 0,
        model: "scripted",
        choices: [{ index: 0, delta, finish_reason: finish }],
      },
    });
    const events = [chunk({ role: "assistant", content: turn.text ?? null })];
    turn.calls?.forEach((call, index) => {
      const args = JSON.stringify(call.arguments);
      const half = Math.ceil(args.length / 2);
      events.push(
        chunk({
          tool_calls: [
            {
              index,
              id: `call_${offset + index}`,
              type: "function",
              function: { name: call.name, arguments: "" },
            },
          ],
        }),
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }),
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }),
      );
    });
    events.push(chunk({}, turn.calls ? "tool_calls" : "stop"));
    // Pause before each call's first delta: the previous call is then complete in the stream.
    return paced(events, gapMs, (i) => i > 0 && i % 3 === 1);
  },
};

const openaiResponses: Codec = {
  results: (body) =>
    list(body.input)
      .filter((item) => item.type === "function_call_output")
      .map((item) => text(item.output)),
  parallelOff: (body) => body.parallel_tool_calls === false,
  stream: (_request, body) => body.stream === true,
  whole: (turn, offset) => jsonReply(responsesBody(turn, offset, "completed")),
  streamed(turn, offset, gapMs) {
    const response = responsesBody(turn, offset, "completed");
    const output = response.output as Body[];
    const events: SseEventInit[] = [
      {
        event: "response.created",
        data: {
          type: "response.created",
          sequence_number: 0,
          response: { ...response, status: "in_progress", output: [] },
        },
      },
    ];
    output.forEach((item, outputIndex) => {
      if (item.type === "function_call") {
        events.push(
          {
            event: "response.output_item.added",
            data: {
              type: "response.output_item.added",
              output_index: outputIndex,
              sequence_number: 0,
              item: { ...item, arguments: "", status: "in_progress" },
            },
          },
          {
            event: "response.function_call_arguments.delta",
            data: {
              type: "response.function_call_arguments.delta",
              output_index: outputIndex,
              item_id: item.id,
              sequence_number: 0,
              delta: item.arguments,
            },
          },
          {
            event: "response.function_call_arguments.done",
            data: {
              type: "response.function_call_arguments.done",
              output_index: outputIndex,
              item_id: item.id,
              sequence_number: 0,
              arguments: item.arguments,
            },
          },
        );
      } else {
        events.push({
          event: "response.output_item.added",
          data: {
            type: "response.output_item.added",
            output_index: outputIndex,
            sequence_number: 0,
            item,
          },
        });
      }
      events.push({
        event: "response.output_item.done",
        data: {
          type: "response.output_item.done",
          output_index: outputIndex,
          sequence_number: 0,
          item,
        },
      });
    });
    events.push({
      event: "response.completed",
      data: { type: "response.completed", sequence_number: 0, response },
    });
    events.forEach((event, i) => {
      (event.data as Body).sequence_number = i;
    });
    return paced(
      events,
      gapMs,
      (i) => (events[i]?.data as Body | undefined)?.type === "response.output_item.added" && i > 1,
    );
  },
};

function responsesBody(turn: Turn, offset: number, status: string): Body {
  const output = turn.calls
    ? turn.calls.map((call, i) => ({
        type: "function_call",
        id: `fc_${offset + i}`,
        call_id: `call_${offset + i}`,
        name: call.name,
        arguments: JSON.stringify(call.arguments),
        status: "completed",
      }))
    : [
        {
          type: "message",
          id: "msg_scripted",
          role: "assistant",
          status: "completed",
          // logprobs as the API sends it: the published schema requires it in the echoed item.
          content: [{ type: "output_text", text: turn.text, annotations: [], logprobs: [] }],
        },
      ];
  return {
    id: "resp_scripted",
    object: "response",
    created_at: 0,
    model: "scripted",
    status,
    output,
    parallel_tool_calls: true,
    tools: [],
  };
}

const anthropicMessages: Codec = {
  results: (body) =>
    list(body.messages)
      .filter((m) => m.role === "user")
      .flatMap((m) => list(m.content))
      .filter((block) => block.type === "tool_result")
      .map((block) => text(block.content)),
  parallelOff: (body) => (body.tool_choice as Body | undefined)?.disable_parallel_tool_use === true,
  stream: (_request, body) => body.stream === true,
  whole: (turn, offset) => jsonReply(anthropicMessage(turn, offset)),
  streamed(turn, offset, gapMs) {
    const message = anthropicMessage(turn, offset);
    const content = message.content as Body[];
    const events: SseEventInit[] = [
      {
        event: "message_start",
        data: { type: "message_start", message: { ...message, content: [], stop_reason: null } },
      },
    ];
    content.forEach((block, index) => {
      if (block.type === "tool_use") {
        const json = JSON.stringify(block.input);
        events.push(
          {
            event: "content_block_start",
            data: { type: "content_block_start", index, content_block: { ...block, input: {} } },
          },
          {
            event: "content_block_delta",
            data: {
              type: "content_block_delta",
              index,
              delta: { type: "input_json_delta", partial_json: json },
            },
          },
        );
      } else {
        events.push(
          {
            event: "content_block_start",
            data: { type: "content_block_start", index, content_block: { type: "text", text: "" } },
          },
          {
            event: "content_block_delta",
            data: {
              type: "content_block_delta",
              index,
              delta: { type: "text_delta", text: block.text },
            },
          },
        );
      }
      events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
    });
    events.push(
      {
        event: "message_delta",
        data: {
          type: "message_delta",
          delta: { stop_reason: message.stop_reason, stop_sequence: null },
          usage: { output_tokens: 1 },
        },
      },
      { event: "message_stop", data: { type: "message_stop" } },
    );
    return paced(
      events,
      gapMs,
      (i) => (events[i]?.data as Body | undefined)?.type === "content_block_start" && i > 1,
    );
  },
};

function anthropicMessage(turn: Turn, offset: number): Body {
  return {
    id: "msg_scripted",
    type: "message",
    role: "assistant",
    model: "scripted",
    content: turn.calls
      ? turn.calls.map((call, i) => ({
          type: "tool_use",
          id: `toolu_${offset + i}`,
          name: call.name,
          input: call.arguments,
        }))
      : [{ type: "text", text: turn.text }],
    stop_reason: turn.calls ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  };
}

const gemini: Codec = {
  results: (body) =>
    list(body.contents)
      .flatMap((content) => list(content.parts))
      .filter((part) => part.functionResponse !== undefined)
      .map((part) => JSON.stringify((part.functionResponse as Body).response ?? null)),
  // Gemini has no switch for parallel calls.
  parallelOff: () => false,
  stream: (request) => request.route === "gemini-stream-generate",
  whole: (turn) => jsonReply(geminiChunk(geminiParts(turn), "STOP")),
  streamed(turn, _offset, gapMs) {
    const parts = geminiParts(turn);
    // Gemini streams whole parts: one call per chunk, the finish reason on the last.
    const events = parts.map((part, i) => ({
      data: geminiChunk([part], i === parts.length - 1 ? "STOP" : undefined),
    }));
    return paced(events, gapMs, (i) => i > 0);
  },
};

function geminiParts(turn: Turn): Body[] {
  return turn.calls
    ? turn.calls.map((call) => ({ functionCall: { name: call.name, args: call.arguments } }))
    : [{ text: turn.text }];
}

function geminiChunk(parts: Body[], finishReason: string | undefined): Body {
  return {
    candidates: [
      { content: { role: "model", parts }, index: 0, ...(finishReason ? { finishReason } : {}) },
    ],
    modelVersion: "scripted",
  };
}

const CODECS: Record<NonNullable<RecordedRequest["route"]>, Codec> = {
  "openai-chat": openaiChat,
  "openai-responses": openaiResponses,
  "anthropic-messages": anthropicMessages,
  "gemini-generate": gemini,
  "gemini-stream-generate": gemini,
};
