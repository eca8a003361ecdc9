/**
 * One conversation, three vendors: it starts on OpenAI Chat, continues on Anthropic, ends on
 * Gemini — same tools, same history, same system prompt. Each hop converts the history with
 * `convertHistory`, which re-maps ids the next vendor would reject and says what could not cross;
 * where the system prompt lives outside the history (Anthropic's `system`, Gemini's
 * `systemInstruction`), it is passed along with it. Offline by default
 * (each SDK talks to a loopback scripted model); with a vendor's API key set, its real API.
 *   pnpm --filter @toolbatch/examples exec tsx continue-on-another-vendor.ts
 */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { GoogleGenAI } from "@google/genai";
import { anthropic, anthropicTranscript } from "@toolbatch/anthropic";
import { scriptedToolModel } from "@toolbatch/contract/server";
import { convertHistory, type RenderedHistory, runToolLoop } from "@toolbatch/core";
import { googleGenAI, googleGenAITranscript } from "@toolbatch/google/genai";
import { openaiChat, openaiChatTranscript } from "@toolbatch/openai";
import OpenAI from "openai";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel } from "./support/offline.js";

/** A loopback model that looks up these cities (those the history has not answered yet), then answers. */
const scripted = (cities: readonly string[]) =>
  scriptedToolModel({
    calls: cities.map((city) => ({ name: "lookup_city", arguments: { city } })),
    answer: (results) => `(offline model) ${results.length} cities known: ${results.join(" ")}`,
  });

function report(hop: string, converted: RenderedHistory<unknown>): void {
  console.log(
    `${hop}: ${converted.messages.length} messages, ${converted.idMap.size} id(s) re-mapped, warnings: ${
      converted.warnings.map((warning) => warning.code).join(", ") || "none"
    }`,
  );
}

// 1. OpenAI Chat: two lookups in one turn, then an answer.
const openaiKey = process.env.OPENAI_API_KEY;
const openaiServer = openaiKey
  ? undefined
  : await offlineModel("openai", scripted(["Paris", "Tokyo"]));
const openai = new OpenAI(openaiServer ? { apiKey: "offline", baseURL: openaiServer.url } : {});
const onOpenAI = await runToolLoop({
  adapter: openaiChat(),
  tools: [lookupCity],
  request: {
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: "Answer in one sentence." },
      { role: "user", content: "Look up Paris and Tokyo with lookup_city, both at once." },
    ],
  },
  send: (request) => openai.chat.completions.create({ ...request, stream: true }),
});
console.log(`OpenAI Chat: ${onOpenAI.stopReason} after ${onOpenAI.steps.length} turns`);

// 2. The same conversation continues on Anthropic.
const toAnthropic = convertHistory(onOpenAI.history, openaiChatTranscript(), anthropicTranscript());
report("openai-chat → anthropic", toAnthropic);
const anthropicKey = process.env.ANTHROPIC_API_KEY;
const anthropicServer = anthropicKey
  ? undefined
  : await offlineModel("anthropic", scripted(["Paris", "Tokyo", "Lima"]));
const claude = new Anthropic(
  anthropicServer ? { apiKey: "offline", baseURL: anthropicServer.url } : {},
);
const question: MessageParam = { role: "user", content: "Now Lima too." };
const onAnthropic = await runToolLoop({
  adapter: anthropic(),
  tools: [lookupCity],
  request: {
    model: "claude-sonnet-5",
    max_tokens: 1024,
    ...(toAnthropic.system === undefined ? {} : { system: toAnthropic.system }),
    messages: [...toAnthropic.messages, question],
  },
  send: (request) => claude.messages.create({ ...request, stream: true }),
});
console.log(`Anthropic: ${onAnthropic.stopReason} after ${onAnthropic.steps.length} turns`);

// 3. And ends on Gemini. Anthropic's history does not hold the system prompt: it goes along.
const toGemini = convertHistory(
  onAnthropic.history,
  anthropicTranscript(),
  googleGenAITranscript(),
  {
    ...(toAnthropic.system === undefined ? {} : { system: toAnthropic.system }),
  },
);
report("anthropic → gemini", toGemini);
const geminiKey = process.env.GEMINI_API_KEY;
const geminiServer = geminiKey
  ? undefined
  : await offlineModel("google", scripted(["Paris", "Tokyo", "Lima", "Oslo"]));
const ai = new GoogleGenAI({
  apiKey: geminiKey || "offline",
  ...(geminiServer ? { httpOptions: { baseUrl: geminiServer.url } } : {}),
});
const onGemini = await runToolLoop({
  adapter: googleGenAI(),
  tools: [lookupCity],
  request: {
    model: "gemini-2.5-flash",
    contents: [...toGemini.messages, { role: "user", parts: [{ text: "And Oslo." }] }],
    ...(toGemini.system === undefined ? {} : { config: { systemInstruction: toGemini.system } }),
  },
  send: (request) => ai.models.generateContentStream(request),
});
console.log(`Gemini: ${onGemini.stopReason} after ${onGemini.steps.length} turns`);

// Back on OpenAI, the whole conversation reads as one: every vendor's batch with its results.
const whole = convertHistory(onGemini.history, googleGenAITranscript(), openaiChatTranscript(), {
  ...(toGemini.system === undefined ? {} : { system: toGemini.system }),
});
const batches = whole.messages.flatMap((message) =>
  message.role === "assistant" && message.tool_calls ? [message.tool_calls.length] : [],
);
console.log(`batches across the three vendors: ${batches.join(", ")} call(s)`);
console.log(`system prompt at the end: ${JSON.stringify(whole.messages[0]?.content)}`);
console.log(`answer: ${onGemini.finalTurn?.parts?.map((part) => part.text ?? "").join("")}`);
await Promise.all([openaiServer?.close(), anthropicServer?.close(), geminiServer?.close()]);
