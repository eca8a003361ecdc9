/**
 * OpenAI Responses API with toolbatch, streaming (calls start while the turn streams).
 * Offline by default; with OPENAI_API_KEY, the real API.
 *   pnpm --filter @toolbatch/examples exec tsx openai-responses.ts
 */
import { runToolLoop } from "@toolbatch/core";
import { openaiResponses } from "@toolbatch/openai";
import OpenAI from "openai";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const server = process.env.OPENAI_API_KEY ? undefined : await offlineModel("openai");
const client = new OpenAI(server ? { apiKey: "offline", baseURL: server.url } : {});

const result = await runToolLoop({
  adapter: openaiResponses(),
  tools: [lookupCity],
  // store: false keeps no state at OpenAI: toolbatch echoes every output item (reasoning included).
  request: {
    model: "gpt-4.1-mini",
    input: PROMPT,
    store: false,
    include: ["reasoning.encrypted_content"],
  },
  send: (request) => client.responses.create({ ...request, stream: true }),
});

const answer = (result.finalTurn?.output ?? []).flatMap((item) =>
  item.type === "message" ? item.content : [],
);
console.log(
  `stop reason: ${result.stopReason}, turns: ${result.steps.length}, streamed: ${result.steps[0]?.streamed}`,
);
console.log(
  `history: ${result.history.map((item) => ("type" in item && item.type) || ("role" in item && item.role)).join(", ")}`,
);
console.log(
  `answer: ${answer.map((part) => (part.type === "output_text" ? part.text : "")).join("")}`,
);
await server?.close();
