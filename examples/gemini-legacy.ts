/**
 * Gemini through the legacy @google/generative-ai SDK (deprecated upstream, still widely
 * installed). toolbatch assembles its stream from the chunks, not from its aggregated response
 * (which duplicates the last call when two arrive in one chunk). Offline by default; with
 * GEMINI_API_KEY, the real API.
 *   pnpm --filter @toolbatch/examples exec tsx gemini-legacy.ts
 */
import { GoogleGenerativeAI } from "@google/generative-ai";
import { runToolLoop } from "@toolbatch/core";
import { googleGenerativeAI } from "@toolbatch/google/generative-ai";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const apiKey = process.env.GEMINI_API_KEY;
const server = apiKey ? undefined : await offlineModel("google");
const model = new GoogleGenerativeAI(apiKey || "offline").getGenerativeModel(
  { model: "gemini-2.5-flash" },
  server ? { baseUrl: server.url } : {},
);

const result = await runToolLoop({
  adapter: googleGenerativeAI(),
  tools: [lookupCity],
  request: { contents: [{ role: "user", parts: [{ text: PROMPT }] }] },
  // The legacy SDK returns { stream, response }; the adapter reads the stream from it.
  send: (request) => model.generateContentStream(request),
});

console.log(`stop reason: ${result.stopReason}, turns: ${result.steps.length}`);
console.log(`roles: ${result.history.map((content) => content.role).join(", ")}`);
console.log(`answer: ${result.finalTurn?.parts.map((part) => part.text ?? "").join("")}`);
await server?.close();
