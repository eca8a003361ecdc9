import Anthropic from "@anthropic-ai/sdk";
import type {
  ContentBlock,
  Message,
  MessageParam,
  StopReason,
  ToolUseBlock,
} from "@anthropic-ai/sdk/resources/messages";
import {
  loadSpecValidator,
  type ReplyScript,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";

// The events the API streams for a message (text, thinking and input split at `cuts`, pings).
export { streamAnthropicMessage as streamOf } from "@toolbatch/contract";

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
