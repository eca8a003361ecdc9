/**
 * Gemini through @google/genai with toolbatch, streaming. Offline by default; with
 * GEMINI_API_KEY, the real API. Gemini has no switch for parallel calls: `parallel: false` holds
 * because toolbatch runs the calls one at a time.
 *   pnpm --filter @toolbatch/examples exec tsx gemini.ts
 */
import { GoogleGenAI } from "@google/genai";
import { runToolLoop } from "@toolbatch/core";
import { googleGenAI } from "@toolbatch/google/genai";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel, PROMPT } from "./support/offline.js";

const apiKey = process.env.GEMINI_API_KEY;
const server = apiKey ? undefined : await offlineModel("google");
const ai = new GoogleGenAI({
  apiKey: apiKey || "offline",
  ...(server ? { httpOptions: { baseUrl: server.url } } : {}),
});

const result = await runToolLoop({
  adapter: googleGenAI(),
  tools: [lookupCity],
  request: { model: "gemini-2.5-flash", contents: PROMPT },
  send: (request) => ai.models.generateContentStream(request),
});

const first = result.steps[0]?.batch;
console.log(
  `stop reason: ${result.stopReason}, turns: ${result.steps.length}, streamed: ${result.steps[0]?.streamed}`,
);
console.log(
  `ids synthesized (never sent back): ${first?.calls.every((call) => call.idSynthesized) ? "yes" : "no"}`,
);
console.log(`answer: ${result.finalTurn?.parts?.map((part) => part.text ?? "").join("")}`);
await server?.close();
