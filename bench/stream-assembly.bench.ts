import { createOpenAI } from "@ai-sdk/openai";
import { openaiChat } from "@toolbatch/openai";
import { jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { chatStreamBody, sseFetch } from "./support/chat-stream-fixture.js";
import { compare, quick, type Row } from "./support/compare.js";

/** The floor: split lines, JSON.parse each event, join fragments per index, parse each call once. */
function handAssembler(body: string): unknown[] {
  const fragments: string[][] = [];
  for (const line of body.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const event = JSON.parse(line.slice(6)) as ChatCompletionChunk;
    for (const call of event.choices[0]?.delta.tool_calls ?? []) {
      fragments[call.index] ??= [];
      if (call.function?.arguments) fragments[call.index]?.push(call.function.arguments);
    }
  }
  return fragments.map((parts) => JSON.parse(parts.join("")));
}

const schema = {
  type: "object" as const,
  properties: { call: { type: "number" as const }, text: { type: "string" as const } },
};

/** 8 parallel calls with large arguments in 32-byte fragments, OpenAI Chat SSE. */
export async function streamAssembly(): Promise<Row[]> {
  const sizes = quick ? [1024] : [1024, 64 * 1024, 256 * 1024];
  const rows: Row[] = [];
  for (const size of sizes) {
    const body = chatStreamBody(8, size);
    const bytes = new TextEncoder().encode(body);
    const decoded = () => new TextDecoder().decode(bytes);
    const client = new OpenAI({ apiKey: "bench", fetch: sseFetch(body), maxRetries: 0 });
    const events = body
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)) as ChatCompletionChunk);
    const provider = createOpenAI({ apiKey: "bench", fetch: sseFetch(body) });
    const aiTools = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`tool_${i}`, tool({ inputSchema: jsonSchema(schema) })]),
    );
    const label = `${size / 1024} KB`;
    rows.push(
      ...(await compare(
        `stream assembly, 8 calls x ${label}`,
        {
          name: "floor: hand-written assembler over the bytes",
          run: () => handAssembler(decoded()),
        },
        [
          {
            name: "openai SDK stream + toolbatch assembler",
            goal: 1.5,
            run: async () => {
              const assembler = openaiChat().createStreamAssembler();
              const stream = await client.chat.completions.create({
                model: "gpt-4o",
                messages: [],
                stream: true,
              });
              for await (const chunk of stream) assembler.push(chunk);
              return assembler.finish();
            },
          },
          {
            name: "(reference) openai SDK stream drained, no assembly",
            note: "the SDK's own share",
            run: async () => {
              const stream = await client.chat.completions.create({
                model: "gpt-4o",
                messages: [],
                stream: true,
              });
              for await (const _chunk of stream) {
              }
            },
          },
          {
            name: "AI SDK model.doStream drained",
            note: "~6.3x measured by the issue",
            run: async () => {
              const { stream } = await provider.chat("gpt-4o").doStream({
                prompt: [{ role: "user", content: [{ type: "text", text: "go" }] }],
                tools: Object.keys(aiTools).map((name) => ({
                  type: "function" as const,
                  name,
                  inputSchema: schema,
                })),
              });
              const reader = stream.getReader();
              while (!(await reader.read()).done) {}
            },
          },
          {
            name: "AI SDK streamText fullStream drained",
            note: "~18x measured by the issue",
            run: async () => {
              const result = streamText({
                model: provider.chat("gpt-4o"),
                tools: aiTools,
                prompt: "go",
              });
              for await (const _part of result.fullStream) {
              }
            },
          },
        ],
        // Large streams take up to seconds per run through the AI SDK: fewer, longer samples.
        { timeMs: quick ? 30 : size > 1024 ? 1000 : 2000, iterations: size > 1024 ? 5 : 20 },
      )),
    );
    const argumentsText = events.length > 0 ? chatStreamArguments(events) : [];
    rows.push(
      ...(await compare(
        `assembler alone over parsed events, 8 calls x ${label}`,
        {
          name: "JSON.parse of the 8 arguments",
          run: () => argumentsText.map((text) => JSON.parse(text)),
        },
        [
          {
            name: "toolbatch assembler (push every event, finish)",
            goal: 2,
            run: () => {
              const assembler = openaiChat().createStreamAssembler();
              for (const event of events) assembler.push(event);
              return assembler.finish();
            },
          },
        ],
        { timeMs: quick ? 30 : 1500 },
      )),
    );
  }
  return rows;
}

function chatStreamArguments(events: readonly ChatCompletionChunk[]): string[] {
  const parts: string[][] = [];
  for (const event of events) {
    for (const call of event.choices[0]?.delta.tool_calls ?? []) {
      parts[call.index] ??= [];
      parts[call.index]?.push(call.function?.arguments ?? "");
    }
  }
  return parts.map((list) => list.join(""));
}
