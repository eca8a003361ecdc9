import { GoogleGenAI } from "@google/genai";
import {
  geminiWire,
  loadSpecValidator,
  replyFromRecording,
  type VendorServer,
} from "@toolbatch/contract";
import { defineTool, executeBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { googleGenAI } from "../src/index.js";
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

type RestRequest = Parameters<typeof geminiWire.history>[0];

const startServer = googleServers();
const client = (server: VendorServer, vertex = false) =>
  new GoogleGenAI({
    apiKey: "test",
    ...(vertex ? { vertexai: true } : {}),
    httpOptions: { baseUrl: server.url },
  });
/** The recorded follow-up and the one sent, as the wire compares them. */
const comparedFollowUps = (server: VendorServer, key: string) => [
  geminiWire.comparable(sentFollowUp(server, 1)),
  geminiWire.comparable(geminiWire.recordedFollowUp(recording(key)) ?? []),
];

describe("googleGenAI through the real @google/genai SDK", () => {
  it.each(["gm1", "gm5"])(
    "runs recording %s with generateContent and sends the recorded follow-up",
    async (key) => {
      const rec = recording(key);
      const server = await startServer([replyFromRecording(rec), finalAnswer]);
      const adapter = googleGenAI();
      const ai = client(server);
      const config = {
        tools: adapter.tools(arithmetic),
        ...adapter.requestOptions({ parallel: true }),
      };
      const model = "gemini-2.5-flash";
      const batch = adapter.toBatch(
        await ai.models.generateContent({ model, contents: question, config }),
      );
      expect(batch.calls.map((c) => [c.name, c.input])).toStrictEqual(
        rec.expected.calls.map((c) => [c.name, c.input]),
      );
      const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
      await ai.models.generateContent({ model, contents: [...question, ...followUp], config });

      const [sent, next] = server.requests.map((request) => request.body as RestRequest);
      expect(sent?.tools?.[0]?.functionDeclarations?.map((d) => d.name)).toStrictEqual([
        "add",
        "multiply",
      ]);
      expect(loadSpecValidator("gemini").validate("GenerateContentRequest", next)).toStrictEqual(
        [],
      );
      const [ours, recorded] = comparedFollowUps(server, key);
      expect(ours).toStrictEqual(recorded);
      // Gemini sent no ids: none goes back, not even the ones toolbatch made up.
      expect(JSON.stringify(next)).not.toMatch(/"id"/);
    },
  );

  it.each([1, 7, 64])(
    "assembles recorded streams sliced every %i bytes from generateContentStream",
    async (chunkBytes) => {
      for (const key of ["gm2", "gm3", "gm4"]) {
        const rec = recording(key);
        const server = await startServer([replyFromRecording(rec, { chunkBytes })]);
        const stream = await client(server).models.generateContentStream({
          model: "gemini-2.5-flash",
          contents: question,
        });
        const { batch, reported } = await assembleFrom(googleGenAI(), stream);
        expect(batch.complete).toBe(true);
        expect(batch.calls.map((c) => [c.name, c.input])).toStrictEqual(
          rec.expected.calls.map((c) => [c.name, c.input]),
        );
        expect(reported.map((c) => c.id)).toStrictEqual(batch.calls.map((c) => c.id));
        expect(batch.turn.parts?.[0]?.thoughtSignature).toMatch(/^[A-Za-z0-9+/]{40}/);
        expect(batch.turn.parts?.[1]?.thoughtSignature).toBeUndefined();
      }
    },
  );

  it("echoes Gemini 3's ids and signature exactly after a stream (gm4)", async () => {
    const rec = recording("gm4");
    const server = await startServer([replyFromRecording(rec, { chunkBytes: 32 }), finalAnswer]);
    const adapter = googleGenAI();
    const ai = client(server);
    const model = "gemini-3-pro-preview";
    const { batch } = await assembleFrom(
      adapter,
      await ai.models.generateContentStream({ model, contents: question }),
    );
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, arithmetic));
    await ai.models.generateContent({ model, contents: [...question, ...followUp] });
    const [ours, recorded] = comparedFollowUps(server, "gm4");
    expect(ours).toStrictEqual(recorded);
    const [sentModel, results] = sentFollowUp(server, 1);
    expect(sentModel?.parts?.[0]?.thoughtSignature).toBe(
      (rec.followUpRequest as RestRequest).contents[1]?.parts?.[0]?.thoughtSignature,
    );
    expect(results?.parts?.map((p) => p.functionResponse?.id)).toStrictEqual([
      "8hd01vsf",
      "k0srpqrc",
    ]);
  });

  it("answers three calls of one name without ids in order through the SDK (gm10)", async () => {
    const server = await startServer([replyFromRecording(recording("gm10")), finalAnswer]);
    const adapter = googleGenAI();
    const ai = client(server);
    const batch = adapter.toBatch(
      await ai.models.generateContent({ model: "m", contents: question }),
    );
    const results = await executeBatch(batch, [sum], { parallel: false });
    await ai.models.generateContent({
      model: "m",
      contents: [...question, ...adapter.toFollowUp(batch, results)],
    });
    expect(sentFollowUp(server, 1)[1]).toStrictEqual({
      role: "user",
      parts: [3, 7, 11].map((output) => ({
        functionResponse: { name: "sum", response: { output } },
      })),
    });
  });

  it("assembles Vertex streamed arguments (gm8) in Vertex mode and sends them back as args", async () => {
    const server = await startServer([
      replyFromRecording(recording("gm8"), { chunkBytes: 50 }),
      finalAnswer,
    ]);
    const adapter = googleGenAI();
    const { batch } = await assembleFrom(
      adapter,
      await client(server, true).models.generateContentStream({
        model: "gemini-3.1-pro-preview",
        contents: question,
      }),
    );
    expect(batch.calls.map((c) => c.input)).toStrictEqual([
      { location: "Boston" },
      { location: "San Francisco" },
    ]);
    const weather = defineTool({
      name: "getWeather",
      description: "",
      input: z.object({ location: z.string() }),
      execute: ({ location }) => `${location}: 18C`,
    });
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, [weather]));
    // The Gemini API client refuses partialArgs in a request; the echo has none to refuse.
    await client(server).models.generateContent({
      model: "m",
      contents: [...question, ...followUp],
    });
    // Vertex, then the Gemini API (its default version is v1beta in @google/genai 2, v1 in 3).
    expect(server.requests.map((r) => r.path)).toStrictEqual([
      "/v1beta1/publishers/google/models/gemini-3.1-pro-preview:streamGenerateContent",
      expect.stringMatching(/^\/v1(beta)?\/models\/m:generateContent$/),
    ]);
    const [sentModel, results] = sentFollowUp(server, 1);
    expect(sentModel?.parts?.map((p) => p.functionCall)).toStrictEqual([
      { name: "getWeather", args: { location: "Boston" } },
      { name: "getWeather", args: { location: "San Francisco" } },
    ]);
    expect(results?.parts?.map((p) => p.functionResponse?.response)).toStrictEqual([
      { output: "Boston: 18C" },
      { output: "San Francisco: 18C" },
    ]);
  });
});
