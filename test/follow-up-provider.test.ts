import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { anthropic } from "@toolbatch/anthropic";
import {
  type BatchCheckpoint,
  defineTool,
  jsonSchema,
  ResultMismatchError,
  runBatch,
  type ToolCallBatch,
} from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { describe, expect, expectTypeOf, it } from "vitest";

// An adapter answers only batches of its own wire format (issue 18): a batch kept in a checkpoint
// (its turn `unknown` to the compiler) is accepted as it is and checked at run time, and another
// vendor's batch is refused, where before it was encoded as garbage.

const completion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 0,
  model: "m",
  choices: [
    {
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } },
        ],
      },
    },
  ],
} as ChatCompletion;

const message = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "m",
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 },
  content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: {} }],
} as unknown as Message;

const lookup = defineTool({
  name: "lookup",
  description: "Looks up",
  input: jsonSchema<Record<string, unknown>>({ type: "object" }),
  execute: () => "found",
});

describe("toFollowUp and the batch's provider", () => {
  it("accepts a batch read back from a checkpoint (JSON), typed or not, and answers it as the original", async () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(completion);
    const outcome = await runBatch(batch, [lookup]);
    if (outcome.status !== "complete") throw new Error("suspended");
    const kept = JSON.parse(JSON.stringify(outcome.checkpoint)) as BatchCheckpoint;
    expectTypeOf(kept.batch).toEqualTypeOf<ToolCallBatch>();
    expect(adapter.toFollowUp(kept.batch, outcome.results)).toStrictEqual(
      adapter.toFollowUp(batch, outcome.results),
    );
  });

  it("refuses another vendor's batch with a ResultMismatchError naming both", async () => {
    const claude = anthropic().toBatch(message);
    const outcome = await runBatch(claude, [lookup]);
    if (outcome.status !== "complete") throw new Error("suspended");
    expect(() => openaiChat().toFollowUp(claude, outcome.results)).toThrow(ResultMismatchError);
    expect(() => openaiChat().toFollowUp(claude, outcome.results)).toThrow(
      /read by the "anthropic" adapter.*"openai-chat"/,
    );
    const chat = openaiChat().toBatch(completion);
    expect(() => anthropic().toFollowUp(chat, outcome.results)).toThrow(ResultMismatchError);
  });
});
