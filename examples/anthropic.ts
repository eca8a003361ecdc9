/**
 * Anthropic Messages API with toolbatch, streaming. Offline by default; with ANTHROPIC_API_KEY,
 * the real API.
 *   pnpm --filter @toolbatch/examples exec tsx anthropic.ts
 */
import Anthropic from "@anthropic-ai/sdk";
import { anthropic } from "@toolbatch/anthropic";
import { runToolLoop } from "@toolbatch/core";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const server = process.env.ANTHROPIC_API_KEY ? undefined : await offlineModel("anthropic");
const client = new Anthropic(server ? { apiKey: "offline", baseURL: server.url } : {});

const result = await runToolLoop({
  adapter: anthropic(),
  tools: [lookupCity],
  request: {
    model: "claude-sonnet-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: PROMPT }],
  },
  send: (request) => client.messages.create({ ...request, stream: true }),
});

const followUp = result.steps[0]?.followUp.at(-1);
console.log(
  `stop reason: ${result.stopReason}, turns: ${result.steps.length}, streamed: ${result.steps[0]?.streamed}`,
);
console.log(
  `results carried by one user message: ${Array.isArray(followUp?.content) ? followUp.content.map((block) => block.type).join(", ") : ""}`,
);
console.log(
  `answer: ${result.finalTurn?.content.map((block) => (block.type === "text" ? block.text : "")).join("")}`,
);
await server?.close();
