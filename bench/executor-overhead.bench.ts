import { defineTool, executeBatch, type ToolCallBatch } from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import { generateText, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { z } from "zod";
import { compare, type Row } from "./support/compare.js";

/** One batch of 8 calls to 8 no-op zod tools. */
export async function executorOverhead(): Promise<Row[]> {
  const schema = z.object({ city: z.string(), days: z.number().int() });
  const noops = Array.from({ length: 8 }, () => async (_input: unknown) => undefined);
  const rawArguments = noops.map((_, i) => JSON.stringify({ city: `City ${i}`, days: i + 1 }));
  const tools = noops.map((execute, i) =>
    defineTool({ name: `tool_${i}`, description: "no-op", input: schema, execute }),
  );

  // The floor: what any executor must do at least.
  const floor = () =>
    Promise.all(
      rawArguments.map((raw, i) => {
        const parsed = schema.safeParse(JSON.parse(raw));
        return (noops[i] as (input: unknown) => Promise<undefined>)(parsed.data);
      }),
    );

  const batchOf = (): ToolCallBatch => ({
    provider: "bench",
    complete: true,
    turn: null,
    calls: rawArguments.map((raw, index) => ({
      id: `call_${index}`,
      name: `tool_${index}`,
      input: JSON.parse(raw),
      rawInput: raw,
      index,
    })),
  });

  const completion: ChatCompletion = {
    id: "c",
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
          tool_calls: rawArguments.map((raw, i) => ({
            id: `call_${i}`,
            type: "function",
            function: { name: `tool_${i}`, arguments: raw },
          })),
        },
      },
    ],
  };
  const adapter = openaiChat();

  const aiTools = Object.fromEntries(
    noops.map((execute, i) => [
      `tool_${i}`,
      tool({ description: "no-op", inputSchema: schema, execute }),
    ]),
  );
  const model = new MockLanguageModelV3({
    doGenerate: async () => ({
      content: rawArguments.map((input, i) => ({
        type: "tool-call" as const,
        toolCallId: `call_${i}`,
        toolName: `tool_${i}`,
        input,
      })),
      finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
      usage: {
        inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 1, text: 1, reasoning: 0 },
      },
      warnings: [],
    }),
  });

  return compare(
    "executor overhead (8 calls, 8 no-op zod tools)",
    { name: "floor: Promise.all + JSON.parse + safeParse", run: floor },
    [
      { name: "toolbatch executeBatch", run: () => executeBatch(batchOf(), tools), goal: 1.3 },
      {
        name: "toolbatch openaiChat().toBatch + executeBatch",
        run: () => executeBatch(adapter.toBatch(completion), tools),
      },
      {
        name: "AI SDK generateText (mock model)",
        run: () => generateText({ model, tools: aiTools, prompt: "go" }),
        note: "~94x measured by the issue",
      },
    ],
    { inner: 20 },
  );
}
