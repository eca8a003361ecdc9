import Anthropic from "@anthropic-ai/sdk";
import type {
  ContentBlock,
  Message,
  MessageParam,
  MessageStreamEvent,
  StopReason,
  ToolUseBlock,
} from "@anthropic-ai/sdk/resources/messages";
import {
  loadSpecValidator,
  type ReplyScript,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";
import { onTestFinished } from "vitest";

/**
 * A loopback Anthropic server for the running test, closed when it ends, and the real SDK's
 * client pointed at it (no retries: a scripted reply is never asked for twice).
 */
export async function anthropicServer(
  replies: ReplyScript,
): Promise<{ server: VendorServer; client: Anthropic }> {
  const server = await startVendorServer({ vendor: "anthropic", replies });
  onTestFinished(() => server.close());
  return { server, client: new Anthropic({ apiKey: "test", baseURL: server.url, maxRetries: 0 }) };
}

/** A response message holding these blocks. */
export function message(
  content: ContentBlock[],
  stopReason: StopReason | null = "tool_use",
): Message {
  return {
    id: "msg_test",
    type: "message",
    role: "assistant",
    model: "claude-test",
    container: null,
    diagnostics: null,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    usage: {
      input_tokens: 10,
      output_tokens: 20,
      cache_creation: null,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: "standard",
      speed: null,
    },
  };
}

/** A client `tool_use` block as the API sends it. */
export const toolUse = (id: string, name: string, input: unknown = {}): ToolUseBlock => ({
  type: "tool_use",
  id,
  name,
  input,
  caller: { type: "direct" },
});

/** A text block as the API sends it. */
export const text = (value: string): ContentBlock => ({
  type: "text",
  text: value,
  citations: null,
});

/** A thinking block with its signature. */
export const thinking = (value: string, signature: string): ContentBlock => ({
  type: "thinking",
  thinking: value,
  signature,
});

/** A `server_tool_use` block (web search), run by Anthropic. */
export const webSearch = (id: string, query: string): ContentBlock => ({
  type: "server_tool_use",
  id,
  name: "web_search",
  input: { query },
  caller: { type: "direct" },
});

/** The result block of a web search, in the same turn. */
export const webSearchResult = (toolUseId: string): ContentBlock => ({
  type: "web_search_tool_result",
  tool_use_id: toolUseId,
  caller: { type: "direct" },
  content: [
    {
      type: "web_search_result",
      url: "https://example.com",
      title: "Example",
      encrypted_content: "EqgfCioIARgBIiQ3YTAw",
      page_age: null,
    },
  ],
});

/** Problems the Anthropic schema finds in a request carrying these messages after a first user turn. */
export const specProblems = (messages: readonly MessageParam[]) =>
  loadSpecValidator("anthropic").validate("CreateMessageParams", {
    model: "claude-test",
    max_tokens: 1024,
    messages: [{ role: "user", content: "hi" }, ...messages],
  });

/** Splits `value` at the positions `cuts` picks (taken modulo its length); never loses a character. */
export function split(value: string, cuts: readonly number[]): string[] {
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
export function streamOf(
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
