import type {
  Content,
  GenerateContentConfig,
  GenerateContentResponse,
  GoogleGenAI,
  Tool,
} from "@google/genai";
import type {
  EnhancedGenerateContentResponse,
  GenerativeModel,
  GoogleGenerativeAI,
  Content as LegacyContent,
  GenerateContentResponse as LegacyResponse,
  Tool as LegacyTool,
} from "@google/generative-ai";
import type { ToolCallBatch, ToolResult } from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type DeclarationWarning,
  type GeminiParallelFields,
  googleGenAI,
  googleGenerativeAI,
} from "../src/index.js";

declare const ai: GoogleGenAI;
declare const genAI: GoogleGenerativeAI;
declare const results: ToolResult[];

describe("googleGenAI types are @google/genai's own", () => {
  const adapter = googleGenAI();

  it("reads GenerateContentResponse, whole and streamed, and keeps the candidate's Content", () => {
    expectTypeOf(adapter.toBatch).parameter(0).toEqualTypeOf<GenerateContentResponse>();
    expectTypeOf(adapter.createStreamAssembler().push)
      .parameter(0)
      .toEqualTypeOf<GenerateContentResponse>();
    expectTypeOf(adapter.toBatch({} as GenerateContentResponse)).toEqualTypeOf<
      ToolCallBatch<Content>
    >();
  });

  it("writes contents, tools and (no) fields that fit generateContent without breaking its types", async () => {
    const contents: Content[] = [];
    contents.push(...adapter.toFollowUp(adapter.toBatch({} as GenerateContentResponse), results));
    expectTypeOf(adapter.toFollowUp).returns.toEqualTypeOf<Content[]>();
    expectTypeOf(adapter.tools([])).toEqualTypeOf<Tool[]>();
    expectTypeOf(adapter.tools([])).toExtend<NonNullable<GenerateContentConfig["tools"]>>();
    expectTypeOf(adapter.requestOptions({ parallel: false })).toEqualTypeOf<GeminiParallelFields>();
    expectTypeOf<GeminiParallelFields>().toEqualTypeOf<Record<never, never>>();
    const response = await ai.models.generateContent({
      model: "m",
      contents,
      config: { tools: adapter.tools([]), ...adapter.requestOptions({ parallel: false }) },
    });
    expectTypeOf(response).toEqualTypeOf<GenerateContentResponse>();
    for await (const chunk of await ai.models.generateContentStream({ model: "m", contents })) {
      adapter.createStreamAssembler().push(chunk);
    }
  });
});

describe("googleGenerativeAI types are the legacy @google/generative-ai's own", () => {
  const adapter = googleGenerativeAI({
    onWarning: (warning) => expectTypeOf(warning).toEqualTypeOf<DeclarationWarning>(),
  });

  it("reads responses and the chunks of result.stream", async () => {
    expectTypeOf(adapter.toBatch).parameter(0).toEqualTypeOf<LegacyResponse>();
    const model: GenerativeModel = genAI.getGenerativeModel({ model: "m" });
    const { response } = await model.generateContent("hi");
    adapter.toBatch(response);
    const { stream } = await model.generateContentStream("hi");
    for await (const chunk of stream) {
      expectTypeOf(chunk).toEqualTypeOf<EnhancedGenerateContentResponse>();
      adapter.createStreamAssembler().push(chunk);
    }
    expectTypeOf(adapter.toBatch(response)).toEqualTypeOf<ToolCallBatch<LegacyContent>>();
  });

  it("writes history and tools the legacy SDK takes", () => {
    const history: LegacyContent[] = [];
    history.push(...adapter.toFollowUp(adapter.toBatch({} as LegacyResponse), results));
    expectTypeOf(adapter.tools([])).toExtend<LegacyTool[]>();
    const model = genAI.getGenerativeModel({ model: "m", tools: adapter.tools([]) });
    model.startChat({ history });
    expectTypeOf(adapter.requestOptions({ parallel: true })).toEqualTypeOf<GeminiParallelFields>();
  });
});
