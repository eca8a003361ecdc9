import { type Content, type GenerateContentParameters, GoogleGenAI } from "@google/genai";
import { GoogleGenerativeAI } from "@google/generative-ai";
import {
  geminiLegacyWire,
  geminiWire,
  jsonReply,
  type RecordedRequest,
  type ServerReply,
  sseReply,
} from "@toolbatch/contract";
import { defineTool, runToolLoop } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { googleGenAI, googleGenerativeAI } from "../src/index.js";
import { googleServers } from "./support.js";

const SIGNATURE = "CiQBjz1rX0ilc2lnbmF0dXJl";
const cities = ["Paris", "Lima"];
const lookups = cities.map((city, i) => ({
  functionCall: { name: "get_weather", args: { city } },
  ...(i === 0 ? { thoughtSignature: SIGNATURE } : {}),
}));
const chunk = (parts: unknown[], finishReason?: string) => ({
  candidates: [{ content: { role: "model", parts }, ...(finishReason ? { finishReason } : {}) }],
});

/** A scripted Gemini: two lookups first (one chunk each), then an answer from the responses. */
function scriptedGemini(request: RecordedRequest): ServerReply {
  const stream = request.path.endsWith(":streamGenerateContent");
  const contents = (request.body as { contents: Content[] }).contents;
  const answers = (contents.at(-1)?.parts ?? []).flatMap((part) =>
    part.functionResponse ? [JSON.stringify(part.functionResponse.response)] : [],
  );
  if (answers.length === 0) {
    if (!stream) return jsonReply(chunk(lookups, "STOP"));
    return sseReply(
      lookups.map((part, i) => ({
        data: chunk([part], i === lookups.length - 1 ? "STOP" : undefined),
      })),
      { done: false },
    );
  }
  const answer = chunk([{ text: `Answer from: ${answers.join(" | ")}` }], "STOP");
  return stream ? sseReply([{ data: answer }], { done: false }) : jsonReply(answer);
}

const weather = defineTool({
  name: "get_weather",
  description: "Current temperature in a city",
  input: z.object({ city: z.string() }),
  execute: ({ city }) => {
    if (city === "Lima") throw new Error("station offline");
    return { city, celsius: 18 };
  },
});
const question: Content[] = [{ role: "user", parts: [{ text: "Weather in Paris and Lima?" }] }];

const startServer = googleServers();

describe("runToolLoop with the Google adapters through the real SDKs", () => {
  it.each([false, true])(
    "googleGenAI runs the lookups, then returns the answer and the whole history (stream: %s)",
    async (stream) => {
      const server = await startServer(scriptedGemini);
      const ai = new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: server.url } });
      const result = await runToolLoop({
        adapter: googleGenAI(),
        tools: [weather],
        request: { model: "gemini-3-flash", contents: "Weather in Paris and Lima?" },
        send: (request: GenerateContentParameters) =>
          stream ? ai.models.generateContentStream(request) : ai.models.generateContent(request),
        parallel: false,
      });
      expect(result.stopReason).toBe("done");
      expect(result.steps.map((step) => step.streamed)).toStrictEqual([stream, stream]);
      expect(result.history.map((content) => content.role)).toStrictEqual([
        "user",
        "model",
        "user",
        "model",
      ]);
      expect(result.history[1]?.parts?.[0]?.thoughtSignature).toBe(SIGNATURE);
      expect(result.finalTurn?.parts?.[0]?.text).toMatch(
        /^Answer from: \{"output":\{"city":"Paris","celsius":18\}\} \| \{"error":".*station offline"\}$/,
      );
      const sent = server.requests[1]?.body as Parameters<typeof geminiWire.history>[0];
      expect(sent.tools?.[0]?.functionDeclarations?.map((d) => d.name)).toStrictEqual([
        "get_weather",
      ]);
      expect(geminiWire.validateRequest(sent)).toStrictEqual([]);
    },
  );

  it.each([false, true])(
    "googleGenerativeAI reads result.stream through streamOf, and answers in role function (stream: %s)",
    async (stream) => {
      const server = await startServer(scriptedGemini);
      const model = new GoogleGenerativeAI("test").getGenerativeModel(
        { model: "gemini-2.5-flash" },
        { baseUrl: server.url },
      );
      const result = await runToolLoop({
        adapter: googleGenerativeAI(),
        tools: [weather],
        request: { contents: question as never },
        send: async (request) =>
          stream
            ? model.generateContentStream(request)
            : (await model.generateContent(request)).response,
      });
      expect(result.stopReason).toBe("done");
      expect(result.steps[0]?.batch.calls.map((c) => c.input)).toStrictEqual(
        cities.map((city) => ({ city })),
      );
      expect(result.history.map((content) => content.role)).toStrictEqual([
        "user",
        "model",
        "function",
        "model",
      ]);
      const sent = server.requests[1]?.body as never;
      expect(geminiLegacyWire.validateRequest(sent)).toStrictEqual([]);
      expect(result.request.tools).toStrictEqual(googleGenerativeAI().tools([weather]));
    },
  );
});

describe("Google adapters' request helpers", () => {
  it("reads any contents the SDK takes as a list of Content", () => {
    const adapter = googleGenAI();
    const history = (contents: GenerateContentParameters["contents"]) =>
      adapter.history({ model: "m", contents });
    expect(history("hi")).toStrictEqual([{ role: "user", parts: [{ text: "hi" }] }]);
    expect(history(["a", { text: "b" }])).toStrictEqual([
      { role: "user", parts: [{ text: "a" }, { text: "b" }] },
    ]);
    expect(history(question[0] as Content)).toStrictEqual(question);
    expect(history(question)).toStrictEqual(question);
  });

  it("adds declarations to the request's own function tool and keeps its other tools", () => {
    const adapter = googleGenAI();
    const request: GenerateContentParameters = {
      model: "m",
      contents: question,
      config: {
        temperature: 0,
        tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: "mine" }] }],
      },
    };
    const next = adapter.withTools(request, [weather], { parallel: false });
    expect(next.config).toStrictEqual({
      temperature: 0,
      tools: [
        { googleSearch: {} },
        {
          functionDeclarations: [
            { name: "mine" },
            ...(adapter.tools([weather])[0]?.functionDeclarations ?? []),
          ],
        },
      ],
    });
    expect(adapter.withTools(request, [], { parallel: true })).toBe(request);
    const legacy = googleGenerativeAI();
    expect(legacy.withTools({ contents: [] }, [weather], { parallel: true }).tools).toStrictEqual(
      legacy.tools([weather]),
    );
  });
});
