import Anthropic from "@anthropic-ai/sdk";
import type {
  MessageCreateParamsNonStreaming,
  MessageParam,
} from "@anthropic-ai/sdk/resources/messages";
import { type Content, GoogleGenAI } from "@google/genai";
import { anthropic, anthropicTranscript } from "@toolbatch/anthropic";
import {
  anthropicWire,
  type GeminiRequest,
  geminiWire,
  jsonReply,
  loadRecordings,
  openaiChatWire,
  type Recording,
  replyFromRecording,
  type ServerReply,
  startVendorServer,
} from "@toolbatch/contract";
import {
  convertHistory,
  defineTool,
  executeBatch,
  jsonSchema,
  OPENAI_CALL_IDS,
  type ToolCallBatch,
} from "@toolbatch/core";
import { googleGenAI, googleGenAITranscript } from "@toolbatch/google";
import { openaiChat, openaiChatTranscript } from "@toolbatch/openai";
import OpenAI from "openai";
import type {
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { describe, expect, it, onTestFinished } from "vitest";

const recording = (vendor: string, key: string) =>
  loadRecordings(vendor).find((entry) => entry.key === key) as Recording;

const chatStart = recording("openai-chat", "oc1");
const claudeTurn = recording("anthropic", "an1");
const geminiTurn = recording("gemini", "gm1");

/** Every tool the three recorded turns call; each answers with its name and input, so results are traceable. */
const tools = [chatStart, claudeTurn, geminiTurn]
  .flatMap((entry) => entry.expected.calls.map((call) => call.name))
  .filter((name, index, names) => names.indexOf(name) === index)
  .map((name) =>
    defineTool({
      name,
      description: `The ${name} tool.`,
      input: jsonSchema({ type: "object", additionalProperties: true }),
      execute: (input) => ({ tool: name, input }),
    }),
  );

async function server(vendor: "openai" | "anthropic" | "google", reply: ServerReply) {
  const started = await startVendorServer({ vendor, replies: [reply] });
  onTestFinished(() => started.close());
  return started;
}

async function answer<Turn>(batch: ToolCallBatch<Turn>) {
  expect(batch.calls.length).toBeGreaterThan(1);
  return executeBatch(batch, tools);
}

const finalChatAnswer = {
  id: "chatcmpl-final",
  object: "chat.completion",
  created: 0,
  model: "gpt-test",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "All done.", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
};

describe("one conversation relayed OpenAI → Anthropic → Gemini → OpenAI through the real SDKs", () => {
  it("keeps every batch and result, with requests every vendor's schema accepts", async () => {
    // 1. OpenAI Chat: the recorded parallel turn, answered.
    const openaiServer = await server("openai", replyFromRecording(chatStart));
    const openai = new OpenAI({ apiKey: "test", baseURL: openaiServer.url, maxRetries: 0 });
    const chat = openaiChat();
    const first = chatStart.request as ChatCompletionCreateParamsNonStreaming;
    const completion = await openai.chat.completions.create({ ...first, stream: false });
    const chatBatch = chat.toBatch(completion);
    let chatHistory: ChatCompletionMessageParam[] = [
      ...first.messages,
      ...chat.toFollowUp(chatBatch, await answer(chatBatch)),
    ];

    // 2. Continue on Anthropic with the same tools.
    const toClaude = convertHistory(chatHistory, openaiChatTranscript(), anthropicTranscript());
    const claudeServer = await server("anthropic", replyFromRecording(claudeTurn));
    const claude = new Anthropic({ apiKey: "test", baseURL: claudeServer.url, maxRetries: 0 });
    const claudeAdapter = anthropic();
    const claudeRequest: MessageCreateParamsNonStreaming = {
      model: (claudeTurn.request as MessageCreateParamsNonStreaming).model,
      max_tokens: 1024,
      ...(toClaude.system === undefined ? {} : { system: toClaude.system }),
      messages: toClaude.messages,
      tools: claudeAdapter.tools(tools),
    };
    const message = await claude.messages.create(claudeRequest);
    expect(
      anthropicWire.validateRequest(
        claudeServer.requests[0]?.body as MessageCreateParamsNonStreaming,
      ),
    ).toEqual([]);
    const claudeBatch = claudeAdapter.toBatch(message);
    const claudeHistory: MessageParam[] = [
      ...toClaude.messages,
      ...claudeAdapter.toFollowUp(claudeBatch, await answer(claudeBatch)),
    ];

    // 3. Continue on Gemini. Claude's history does not hold the system prompt (the request's
    // `system` field does): it is given, or it would be lost.
    const toGemini = convertHistory(claudeHistory, anthropicTranscript(), googleGenAITranscript(), {
      system: claudeRequest.system as string,
    });
    const geminiServer = await server("google", replyFromRecording(geminiTurn));
    const ai = new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: geminiServer.url } });
    const gemini = googleGenAI();
    const response = await ai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: toGemini.messages,
      config: {
        tools: gemini.tools(tools),
        ...(toGemini.system === undefined ? {} : { systemInstruction: toGemini.system }),
      },
    });
    expect(geminiWire.validateRequest(geminiServer.requests[0]?.body as GeminiRequest)).toEqual([]);
    const geminiBatch = gemini.toBatch(response);
    const geminiHistory: Content[] = [
      ...toGemini.messages,
      ...gemini.toFollowUp(geminiBatch, await answer(geminiBatch)),
    ];

    // 4. Back to OpenAI for the final answer, the system prompt from Gemini's systemInstruction.
    const back = convertHistory(geminiHistory, googleGenAITranscript(), openaiChatTranscript(), {
      system: toGemini.system as string,
    });
    expect(back.warnings.map((warning) => warning.code)).toContain("system-in-history");
    const finalServer = await server("openai", jsonReply(finalChatAnswer));
    const finalClient = new OpenAI({ apiKey: "test", baseURL: finalServer.url, maxRetries: 0 });
    await finalClient.chat.completions.create({
      model: first.model,
      messages: back.messages,
      tools: chat.tools(tools),
    });
    const sent = finalServer.requests[0]?.body as ChatCompletionCreateParams;
    expect(openaiChatWire.validateRequest(sent)).toEqual([]);
    // The system prompt of the first request made it through every vendor, once.
    const systemPrompt = first.messages[0];
    expect(systemPrompt?.role).toBe("system");
    const toClaudeSent = claudeServer.requests[0]?.body as
      | MessageCreateParamsNonStreaming
      | undefined;
    expect(toClaudeSent?.system).toBe(systemPrompt?.content);
    const toGeminiSent = geminiServer.requests[0]?.body as GeminiRequest | undefined;
    expect(toGeminiSent?.systemInstruction).toMatchObject({
      parts: [{ text: systemPrompt?.content }],
    });
    expect(sent.messages.filter((entry) => entry.role === "system")).toStrictEqual([systemPrompt]);
    chatHistory = sent.messages;

    // Three batches, in order, each call answered by its own result, ids valid on OpenAI.
    const turns = chatHistory.flatMap((entry) =>
      entry.role === "assistant" && entry.tool_calls ? [entry.tool_calls] : [],
    );
    expect(
      turns.map((calls) => calls.map((call) => call.type === "function" && call.function.name)),
    ).toEqual(
      [chatBatch, claudeBatch, geminiBatch].map((batch) => batch.calls.map((call) => call.name)),
    );
    const answers = new Map(
      chatHistory.flatMap((entry) =>
        entry.role === "tool" ? [[entry.tool_call_id, entry.content]] : [],
      ),
    );
    for (const call of turns.flat()) {
      expect(OPENAI_CALL_IDS.accepts(call.id)).toBe(true);
      const input = call.type === "function" ? JSON.parse(call.function.arguments) : undefined;
      const name = call.type === "function" ? call.function.name : undefined;
      expect(JSON.parse(String(answers.get(call.id)))).toEqual({ tool: name, input });
    }
    expect(answers.size).toBe(turns.flat().length);
  });
});
