/**
 * An OpenAI-compatible local server (Ollama, vLLM, llama.cpp) with toolbatch's openaiChat().
 * Offline, a loopback server answers the way Ollama does: arguments as objects, no call ids,
 * finish_reason "stop". With OLLAMA_BASE_URL (e.g. http://localhost:11434/v1), a real server.
 *   pnpm --filter @toolbatch/examples exec tsx openai-compatible-ollama.ts
 */
import { jsonReply } from "@toolbatch/contract/server";
import { runToolLoop } from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { CITIES, lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const ollamaLike = (request: { body: unknown }) => {
  const messages = (request.body as { messages: Array<{ role: string; content: unknown }> })
    .messages;
  const answered = messages.filter((message) => message.role === "tool");
  const message =
    answered.length === 0
      ? {
          role: "assistant",
          content: "",
          tool_calls: CITIES.map((city) => ({
            type: "function",
            function: { name: "lookup_city", arguments: { city } },
          })),
        }
      : {
          role: "assistant",
          content: `(offline Ollama) ${answered.map((m) => m.content).join(" ")}`,
        };
  return jsonReply({
    id: "chatcmpl-ollama",
    object: "chat.completion",
    created: 0,
    model: "qwen3",
    choices: [{ index: 0, finish_reason: "stop", message }],
  });
};

const baseURL = process.env.OLLAMA_BASE_URL;
const server = baseURL ? undefined : await offlineModel("openai", ollamaLike);
const client = new OpenAI({ apiKey: "ollama", baseURL: baseURL ?? server?.url });
const adapter = openaiChat();

const result = await runToolLoop({
  adapter,
  tools: [lookupCity],
  request: {
    model: process.env.OLLAMA_MODEL ?? "qwen3",
    messages: [{ role: "user", content: PROMPT }],
  },
  send: (request) => client.chat.completions.create({ ...request, stream: false }),
});

const first = result.steps[0]?.batch;
console.log(
  `warnings papered over: ${[...new Set(first?.warnings?.map((warning) => warning.code))].join(", ") || "none"}`,
);
console.log(`synthesized ids: ${first?.calls.map((call) => call.id).join(", ")}`);
console.log(`stop reason: ${result.stopReason}; answer: ${result.finalTurn?.content}`);
await server?.close();
