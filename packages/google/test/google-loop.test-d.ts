import type { GenerateContentParameters, GoogleGenAI } from "@google/genai";
import type { GenerateContentRequest, GenerativeModel } from "@google/generative-ai";
import { type AnyTool, runToolLoop } from "@toolbatch/core";
import { describe, it } from "vitest";
import { googleGenAI, googleGenerativeAI } from "../src/index.js";

declare const ai: GoogleGenAI;
declare const model: GenerativeModel;
declare const tools: AnyTool[];
declare const request: GenerateContentParameters;
declare const legacyRequest: GenerateContentRequest;

// issue 15 item 10: send returned `unknown`, so each of the refused answers below compiled; the
// Gemini adapters then quietly read them as a turn without calls.
describe("runToolLoop's send is typed by the googleGenAI adapter", () => {
  const adapter = googleGenAI();

  it("takes what generateContent and generateContentStream return", () => {
    void runToolLoop({ adapter, tools, request, send: (body) => ai.models.generateContent(body) });
    void runToolLoop({
      adapter,
      tools,
      request,
      send: (body) => ai.models.generateContentStream(body),
    });
  });

  it("refuses a number, a Content taken out of the response, and another vendor's response", () => {
    const content = async (body: GenerateContentParameters) =>
      (await ai.models.generateContent(body)).candidates?.[0]?.content;
    // What Anthropic's messages.create answers.
    const anthropic = async () => ({ id: "msg_1", type: "message" as const, content: [] });
    // @ts-expect-error 42 is no GenerateContentResponse
    void runToolLoop({ adapter, tools, request, send: () => 42 });
    // @ts-expect-error a Content is not the response
    void runToolLoop({ adapter, tools, request, send: content });
    // @ts-expect-error another vendor's response
    void runToolLoop({ adapter, tools, request, send: anthropic });
  });
});

describe("runToolLoop's send is typed by the googleGenerativeAI adapter", () => {
  const adapter = googleGenerativeAI();

  it("takes generateContentStream's { stream, response } and generateContent's response", () => {
    void runToolLoop({
      adapter,
      tools,
      request: legacyRequest,
      send: (body) => model.generateContentStream(body),
    });
    void runToolLoop({
      adapter,
      tools,
      request: legacyRequest,
      send: async (body) => (await model.generateContent(body)).response,
    });
  });

  it("refuses generateContent's result, which wraps the response", () => {
    const wrapped = (body: GenerateContentRequest) => model.generateContent(body);
    // @ts-expect-error the result holds the response in `response`
    void runToolLoop({ adapter, tools, request: legacyRequest, send: wrapped });
  });
});
