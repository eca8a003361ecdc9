import { readFileSync } from "node:fs";
import { type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { GoogleGenerativeAI } from "@google/generative-ai";
import { geminiWire, type Recording, sseTextReply } from "@toolbatch/contract";
import type { StreamAssembler, ToolCallBatch } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { googleGenAI, googleGenerativeAI } from "../src/index.js";
import { assembleFrom, call, googleServers, question, recording, response } from "./support.js";

/** A recorded body the kit's loader does not return: the follow-up turn's answer (`i1`). */
const answerBody = (file: string) =>
  readFileSync(new URL(`../../contract/recordings/gemini/${file}`, import.meta.url), "utf8");
const answerStream = (file: string) =>
  geminiWire.parseStream({ format: "sse", text: answerBody(file) });
const recordedStream = (key: string) =>
  geminiWire.parseStream(recording(key).stream as NonNullable<Recording["stream"]>);

type Chunk = GenerateContentResponse;
/** Both adapters read the same JSON; each is checked. */
const adapters = [
  ["googleGenAI", () => googleGenAI()],
  ["googleGenerativeAI", () => googleGenerativeAI()],
] as const;
const assemblerOf = (make: (typeof adapters)[number][1]) =>
  make().createStreamAssembler() as unknown as StreamAssembler<Chunk>;
const toBatch = (make: (typeof adapters)[number][1], whole: Chunk) =>
  make().toBatch(whole as never) as ToolCallBatch;

/** What the batch reads of the turn, the same streamed or not. */
const reading = (batch: ToolCallBatch) => ({
  text: batch.text,
  usage: batch.usage,
  stopReason: batch.stopReason,
});

/** The batch of a stream, and its text deltas as `textOf` gives them, joined. */
function assemble(assembler: StreamAssembler<Chunk>, stream: readonly Chunk[]) {
  let live = "";
  for (const chunk of stream) {
    live += assembler.textOf?.(chunk) ?? "";
    assembler.push(chunk);
  }
  return { batch: assembler.finish(), live };
}

/**
 * For any regrouping of the stream's parts and split of its text (the kit's rechunk), the batch
 * reads `expected`, and the text `textOf` gave, joined, is its text.
 */
function expectReadingForAnyCut(
  make: (typeof adapters)[number][1],
  stream: readonly Chunk[],
  expected: ReturnType<typeof reading>,
): void {
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const { batch, live } = assemble(assemblerOf(make), geminiWire.rechunk(stream, cuts));
      expect(reading(batch)).toStrictEqual(expected);
      expect(live).toBe(expected.text ?? "");
    }),
    { numRuns: 40 },
  );
}

describe.each(adapters)("%s reads a turn's text, usage and stop reason", (_name, make) => {
  it("reads a recorded turn of calls (gm1): exact usage, thoughts counted as output, no text", () => {
    const batch = toBatch(make, geminiWire.response(recording("gm1")));
    expect(reading(batch)).toStrictEqual({
      text: undefined,
      usage: { inputTokens: 125, outputTokens: 109, reasoningTokens: 73, totalTokens: 234 },
      stopReason: "STOP",
    });
    expect("text" in batch).toBe(false);
  });

  it("reads a recorded streamed answer (gm2's follow-up): text over three chunks, the last usage", () => {
    const { batch, live } = assemble(assemblerOf(make), answerStream("gm2__i1.response.sse"));
    expect(reading(batch)).toStrictEqual({
      text: "The sum of 2 and 3 is 5. The product of 2 and 3 is 6.",
      usage: { inputTokens: 218, outputTokens: 22, totalTokens: 240 },
      stopReason: "STOP",
    });
    expect(live).toBe(batch.text);
  });

  it("takes the last chunk carrying counts: Vertex sends { trafficType } alone before it (gm8)", () => {
    const { batch } = assemble(assemblerOf(make), recordedStream("gm8"));
    expect(batch.usage).toStrictEqual({
      inputTokens: 26,
      outputTokens: 155,
      reasoningTokens: 132,
      totalTokens: 181,
    });
  });

  it("keeps a recorded stream's text and usage for any regrouping of its parts (property)", () => {
    const streams = [
      ...["gm2", "gm3", "gm4", "gm8"].map(recordedStream),
      ...["gm2", "gm3", "gm4"].map((key) => answerStream(`${key}__i1.response.sse`)),
    ];
    for (const stream of streams) {
      const reference = reading(assemble(assemblerOf(make), stream).batch);
      expect(reference.usage).toBeDefined();
      expectReadingForAnyCut(make, stream, reference);
    }
  });

  it("reads the same text and usage from a response and from the same turn streamed (property)", () => {
    const wholes = [
      ...["gm1", "gm5", "gm6"].map((key) => geminiWire.response(recording(key))),
      JSON.parse(answerBody("gm5__i1.response.json")) as Chunk,
    ];
    for (const whole of wholes) {
      const unstreamed = reading(toBatch(make, whole));
      expect(unstreamed.usage).toBeDefined();
      expectReadingForAnyCut(make, [whole], unstreamed);
    }
  });

  it("keeps thought summaries out of the text, and keeps text that carries a thoughtSignature", () => {
    const whole = {
      ...response([
        { text: "Adding first.", thought: true },
        { text: "5 and ", thoughtSignature: "sig" },
        call("add", { a: 2, b: 3 }),
        { text: "6." },
      ]),
      usageMetadata: {
        promptTokenCount: 9,
        cachedContentTokenCount: 4,
        toolUsePromptTokenCount: 2,
      },
    } as Chunk;
    const batch = toBatch(make, whole);
    expect(batch.text).toBe("5 and 6.");
    expect(batch.usage).toStrictEqual({ inputTokens: 11, outputTokens: 0, cachedInputTokens: 4 });
    const assembler = assemblerOf(make);
    expect(assembler.textOf?.(response([{ text: "Hm.", thought: true }]))).toBeUndefined();
    expect(assembler.textOf?.(response([call("add", {})]))).toBeUndefined();
  });
});

describe("reading a turn through the real Google SDKs, against the loopback server", () => {
  const startServer = googleServers();
  const expected = {
    text: "The sum of 2 and 3 is 5, and their product is 6.",
    usage: { inputTokens: 646, outputTokens: 39, reasoningTokens: 20, totalTokens: 685 },
    stopReason: "STOP",
  };

  it("@google/genai generateContentStream: the last chunk's counts and the live text (gm4's answer)", async () => {
    const server = await startServer([
      sseTextReply(answerBody("gm4__i1.response.sse"), { chunkBytes: 9 }),
    ]);
    const ai = new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: server.url } });
    const stream = await ai.models.generateContentStream({
      model: "gemini-3-pro-preview",
      contents: question,
    });
    const assembler = googleGenAI().createStreamAssembler();
    let live = "";
    for await (const chunk of stream) {
      live += assembler.textOf?.(chunk) ?? "";
      assembler.push(chunk);
    }
    const batch = assembler.finish();
    expect(reading(batch)).toStrictEqual(expected);
    expect(live).toBe(expected.text);
  });

  it("legacy @google/generative-ai result.stream: the same reading", async () => {
    const server = await startServer([
      sseTextReply(answerBody("gm4__i1.response.sse"), { chunkBytes: 9 }),
    ]);
    const model = new GoogleGenerativeAI("test").getGenerativeModel(
      { model: "gemini-3-pro-preview" },
      { baseUrl: server.url },
    );
    const result = await model.generateContentStream({ contents: question });
    const { batch } = await assembleFrom(googleGenerativeAI(), result.stream);
    expect(reading(batch)).toStrictEqual(expected);
    expect(reading(googleGenerativeAI().toBatch(await result.response))).toMatchObject({
      usage: expected.usage,
    });
  });
});
