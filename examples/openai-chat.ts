/**
 * OpenAI Chat Completions with toolbatch. Offline by default; with OPENAI_API_KEY, the real API.
 *   pnpm --filter @toolbatch/examples exec tsx openai-chat.ts
 */
import { runToolLoop } from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const server = process.env.OPENAI_API_KEY ? undefined : await offlineModel("openai");
const client = new OpenAI(server ? { apiKey: "offline", baseURL: server.url } : {});

const result = await runToolLoop({
  adapter: openaiChat(),
  tools: [lookupCity],
  request: { model: "gpt-4.1-mini", messages: [{ role: "user", content: PROMPT }] },
  send: (request) => client.chat.completions.create({ ...request, stream: false }),
});

console.log(`stop reason: ${result.stopReason}, turns: ${result.steps.length}`);
console.log(
  `calls in turn 1: ${result.steps[0]?.batch.calls.map((call) => JSON.stringify(call.input)).join(", ")}`,
);
console.log(`answer: ${result.finalTurn?.content}`);
await server?.close();
