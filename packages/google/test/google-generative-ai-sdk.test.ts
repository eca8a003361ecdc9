import { GoogleGenerativeAI } from "@google/generative-ai";
import { geminiLegacyWire, replyFromRecording, type VendorServer } from "@toolbatch/contract";
import { type AnyTool, executeBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { googleGenerativeAI } from "../src/index.js";
import {
  arithmetic,
  assembleFrom,
  finalAnswer,
  googleServers,
  question,
  recording,
  sentFollowUp,
  sum,
} from "./support.js";

const startServer = googleServers();
const modelOn = (
  server: VendorServer,
  adapter = googleGenerativeAI({ onWarning: () => {} }),
  tools: readonly AnyTool[] = arithmetic,
) =>
  new GoogleGenerativeAI("test").getGenerativeModel(
    { model: "gemini-2.5-flash", tools: adapter.tools(tools) },
    { baseUrl: server.url },
  );

describe("googleGenerativeAI through the real legacy @google/generative-ai SDK", () => {
  it("runs gm1 with generateContent, answering in role function with the signature intact", async () => {
    const rec = recording("gm1");
    const server = await startServer([replyFromRecording(rec), finalAnswer]);
    const adapter = googleGenerativeAI({ onWarning: () => {} });
    const model = modelOn(server, adapter);
    const { response } = await model.generateContent({ contents: question });
    const batch = adapter.toBatch(response);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    await model.generateContent({ contents: [...question, ...followUp] });

    const [first, next] = server.requests.map((request) => request.body as { tools?: unknown });
    expect(first?.tools).toStrictEqual(adapter.tools(arithmetic));
    const sent = sentFollowUp(server, 1);
    expect(sent.map((content) => content.role)).toStrictEqual(["model", "function"]);
    expect(geminiLegacyWire.comparable(sent as never)).toStrictEqual(
      geminiLegacyWire.comparable(geminiLegacyWire.recordedFollowUp(rec) ?? []),
    );
    expect(geminiLegacyWire.validateRequest(next as never)).toStrictEqual([]);
  });

  it("gives ChatSession a history it accepts (it refuses functionResponse in a user content)", async () => {
    const server = await startServer([replyFromRecording(recording("gm1")), finalAnswer]);
    const adapter = googleGenerativeAI({ onWarning: () => {} });
    const model = modelOn(server, adapter);
    const batch = adapter.toBatch((await model.generateContent({ contents: question })).response);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    const chat = model.startChat({ history: [...question, ...followUp] });
    await chat.sendMessage("Thanks. And the sum squared?");
    const sent = sentFollowUp(server, 1);
    expect(sent.map((content) => content.role)).toStrictEqual(["model", "function", "user"]);
    const asUser = followUp.map((c) => (c.role === "function" ? { ...c, role: "user" } : c));
    expect(() => model.startChat({ history: [...question, ...asUser] })).toThrow(
      "Content with role 'user' can't contain 'functionResponse' part",
    );
  });

  it("assembles both calls of one chunk from result.stream, where the SDK's aggregate repeats the last one (gm2)", async () => {
    const server = await startServer([replyFromRecording(recording("gm2"), { chunkBytes: 16 })]);
    const result = await modelOn(server).generateContentStream({ contents: question });
    const { batch } = await assembleFrom(googleGenerativeAI(), result.stream);
    expect(batch.calls.map((c) => [c.name, c.input])).toStrictEqual([
      ["add", { a: 2, b: 3 }],
      ["multiply", { a: 2, b: 3 }],
    ]);
    expect(batch.turn.parts?.[0]).toHaveProperty("thoughtSignature");

    // The SDK's own aggregate (vendor-protocols.md 5.7): one shared part object per chunk.
    const aggregated = await result.response;
    expect(aggregated.functionCalls()?.map((c) => c.name)).toStrictEqual(["multiply", "multiply"]);
    expect(aggregated.candidates?.[0]?.content.parts[0]).not.toHaveProperty("thoughtSignature");
  });

  it.each([1, 9, 64])(
    "assembles gm3 and gm4 sliced every %i bytes like the unstreamed turn",
    async (chunkBytes) => {
      for (const key of ["gm3", "gm4"]) {
        const rec = recording(key);
        const server = await startServer([replyFromRecording(rec, { chunkBytes })]);
        const result = await modelOn(server).generateContentStream({ contents: question });
        const { batch } = await assembleFrom(googleGenerativeAI(), result.stream);
        expect(batch.complete).toBe(true);
        expect(
          batch.calls.map((c) => [c.idSynthesized ? null : c.id, c.name, c.input]),
        ).toStrictEqual(rec.expected.calls.map((c) => [c.id, c.name, c.input]));
      }
    },
  );

  it("answers three calls of one name in order (gm10)", async () => {
    const server = await startServer([replyFromRecording(recording("gm10")), finalAnswer]);
    const adapter = googleGenerativeAI();
    const model = modelOn(server, adapter, [sum]);
    const batch = adapter.toBatch((await model.generateContent({ contents: question })).response);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, [sum]));
    await model.generateContent({ contents: [...question, ...followUp] });
    expect(sentFollowUp(server, 1)[1]).toStrictEqual({
      role: "function",
      parts: [3, 7, 11].map((output) => ({
        functionResponse: { name: "sum", response: { output } },
      })),
    });
  });
});
