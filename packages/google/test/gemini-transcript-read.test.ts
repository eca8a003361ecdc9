import type { Content } from "@google/genai";
import type { Content as LegacyContent } from "@google/generative-ai";
import { assistantTurnsOf, deepFreeze, expectInvalidHistory } from "@toolbatch/contract";
import { describe, expect, it } from "vitest";
import { googleGenAITranscript, googleGenerativeAITranscript } from "../src/index.js";
import { call } from "./support.js";
import { codes } from "./transcript-support.js";

const codec = googleGenAITranscript();

const question: Content = { role: "user", parts: [{ text: "Add and multiply 2 and 3" }] };
const twoCalls: Content = {
  role: "model",
  parts: [
    call("add", { a: 2, b: 3 }, { thoughtSignature: "c2ln" }),
    call("multiply", { a: 2, b: 3 }),
  ],
};
const answer = (name: string, response: Record<string, unknown>, id?: string) => ({
  functionResponse: { ...(id ? { id } : {}), name, response },
});

describe("results", () => {
  it("reads { output } as the output, { error } as an error, anything else as the output whole", () => {
    const { transcript, warnings } = codec.read(
      deepFreeze<Content[]>([
        question,
        { role: "model", parts: [call("a", {}), call("b", {}), call("c", {}), call("d", {})] },
        {
          role: "user",
          parts: [
            answer("a", { output: "5" }),
            answer("b", { error: { reason: "quota" } }),
            answer("c", { result: "6" }),
            // Both keys: the error wins, as Gemini's convention reads it.
            answer("d", { output: 1, error: "boom" }),
          ],
        },
      ]),
    );
    expect(warnings).toEqual([]);
    expect(
      assistantTurnsOf(transcript)[0]?.results?.map(({ isError, output }) => [isError, output]),
    ).toEqual([
      [false, "5"],
      [true, { reason: "quota" }],
      [false, { result: "6" }],
      [true, "boom"],
    ]);
  });

  it("pairs responses without ids by name and order, two calls to one function apart", () => {
    const { transcript } = codec.read([
      question,
      { role: "model", parts: [call("sum", { x: 1 }), call("other", {}), call("sum", { x: 2 })] },
      {
        role: "user",
        parts: [
          answer("other", { output: "o" }),
          answer("sum", { output: 1 }),
          answer("sum", { output: 2 }),
        ],
      },
    ]);
    const [turn] = assistantTurnsOf(transcript);
    expect(turn?.results?.map((result) => [result.name, result.output])).toEqual([
      ["sum", 1],
      ["other", "o"],
      ["sum", 2],
    ]);
  });

  it("answers a call the history left unanswered, with a warning", () => {
    const { transcript, warnings } = codec.read([
      question,
      twoCalls,
      { role: "user", parts: [answer("add", { output: 5 })] },
      { role: "model", parts: [{ text: "5" }] },
    ]);
    expect(codes({ warnings })).toEqual(["result-missing"]);
    expect(assistantTurnsOf(transcript)[0]?.results?.[1]).toMatchObject({
      name: "multiply",
      isError: true,
    });
  });

  it("drops a response that answers no call, with a warning", () => {
    const { transcript, warnings } = codec.read([
      { role: "user", parts: [answer("add", { output: 0 })] },
      question,
      { role: "model", parts: [call("add", { a: 2, b: 3 }, { id: "fc_1" })] },
      {
        role: "user",
        parts: [
          answer("add", { output: 5 }, "fc_1"),
          answer("add", { output: 7 }, "fc_9"),
          answer("divide", { output: 1 }),
        ],
      },
    ]);
    expect(codes({ warnings })).toEqual(["result-orphaned", "result-orphaned", "result-orphaned"]);
    expect(assistantTurnsOf(transcript)[0]?.results).toEqual([
      { callId: "fc_1", name: "add", isError: false, output: 5 },
    ]);
  });

  it("leaves the results of a last turn still waiting for them absent", () => {
    const { transcript, warnings } = codec.read([question, twoCalls]);
    expect(warnings).toEqual([]);
    expect(transcript.turns[1]).not.toHaveProperty("results");
    expect(assistantTurnsOf(transcript)[0]?.calls).toHaveLength(2);
  });

  it("reads a content with both responses and text as the results, then the user's text", () => {
    const { transcript, warnings } = codec.read([
      question,
      twoCalls,
      {
        role: "user",
        parts: [{ text: "Here:" }, answer("add", { output: 5 }), answer("multiply", { output: 6 })],
      },
    ]);
    expect(warnings).toEqual([]);
    expect(transcript.turns.map((turn) => turn.role)).toEqual(["user", "assistant", "user"]);
    expect(transcript.turns[2]).toEqual({ role: "user", text: "Here:" });
  });
});

describe("what cannot cross", () => {
  it("drops images, files and multimodal responses of user contents, with a warning each", () => {
    const { transcript, warnings } = codec.read(
      deepFreeze<Content[]>([
        {
          role: "user",
          parts: [
            { text: "What is on these?" },
            { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
            { fileData: { mimeType: "application/pdf", fileUri: "gs://bucket/a.pdf" } },
            { text: "Be brief." },
          ],
        },
        { role: "model", parts: [call("look", {})] },
        {
          role: "user",
          parts: [
            {
              functionResponse: {
                name: "look",
                response: { output: "see image" },
                parts: [{ inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }],
              },
            },
          ],
        },
      ]),
    );
    expect(transcript.turns[0]).toEqual({ role: "user", text: "What is on these?\n\nBe brief." });
    expect(warnings.map(({ code, message }) => [code, message])).toEqual([
      ["content-dropped", expect.stringContaining("inlineData")],
      ["content-dropped", expect.stringContaining("fileData")],
      ["content-dropped", expect.stringContaining("functionResponse.parts")],
    ]);
    expect(assistantTurnsOf(transcript)[0]?.results?.[0]?.output).toBe("see image");
  });

  it("keeps the model's own parts that are not text or calls as Gemini state, named by their key", () => {
    const { transcript } = codec.read([
      question,
      {
        role: "model",
        parts: [
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { text: "Done.", partMetadata: { source: "x" } },
          { videoMetadata: { fps: 1 } },
        ],
      },
    ]);
    const [turn] = assistantTurnsOf(transcript);
    expect(turn?.text).toBe("Done.");
    expect(turn?.state?.map((item) => [item.vendor, item.kind])).toEqual([
      ["gemini", "inlineData"],
      ["gemini", "text-metadata"],
      ["gemini", "part"],
    ]);
  });

  it("reads a call without args as input {} and keeps unknown functionCall fields for Gemini", () => {
    const part = { functionCall: { name: "ping", willContinue: false } };
    const { transcript } = codec.read([question, { role: "model", parts: [part] }]);
    const [found] = assistantTurnsOf(transcript)[0]?.calls ?? [];
    expect(found?.input).toEqual({});
    expect(found?.state).toEqual({
      vendor: "gemini",
      kind: "call-id",
      value: { hasId: false, part: {}, call: { willContinue: false } },
    });
    const rendered = googleGenAITranscript({ signaturePlaceholder: false }).render(transcript);
    expect(rendered.messages[1]?.parts).toStrictEqual([
      { functionCall: { name: "ping", args: {}, willContinue: false } },
    ]);
  });
});

describe("system instructions", () => {
  it("reads a legacy `system` content as the system instructions, and says when one moved", () => {
    const legacy = googleGenerativeAITranscript();
    const history: LegacyContent[] = [
      { role: "system", parts: [{ text: "Be brief." }] },
      { role: "user", parts: [{ text: "Hi" }] },
      { role: "model", parts: [{ text: "Hello." }] },
      { role: "system", parts: [{ text: "Answer in French." }] },
    ];
    const { transcript, warnings } = legacy.read(history);
    expect(transcript.system).toBe("Be brief.\n\nAnswer in French.");
    expect(codes({ warnings })).toEqual(["system-moved"]);
    expect(legacy.render(transcript).system).toBe("Be brief.\n\nAnswer in French.");
  });

  it("reads none from contents alone: systemInstruction is a request field", () => {
    expect(codec.read([question]).transcript).toEqual({
      turns: [{ role: "user", text: "Add and multiply 2 and 3" }],
    });
  });
});

describe("a malformed history", () => {
  const ok = { role: "user", parts: [{ text: "hi" }] };
  it.each([
    { entry: null, got: "got null" },
    { entry: 42, got: "got 42" },
    { entry: "hi", got: 'got "hi"' },
    { entry: { role: "user", parts: 42 }, got: "got parts 42" },
    { entry: { role: "model", parts: [null] }, got: "parts[0] is not a part" },
    { entry: { role: "user", parts: [{ text: "a" }, "b"] }, got: "parts[1] is not a part" },
    // A name or id that is not a string was rendered as a number, or threw a TypeError.
    {
      entry: { role: "model", parts: [{ functionCall: { name: 42 } }] },
      got: ".parts[0].functionCall.name is not a string: got 42.",
    },
    {
      entry: { role: "model", parts: [{ functionCall: { id: Object.create(null), name: "a" } }] },
      got: ".parts[0].functionCall.id is not a string: got an object.",
    },
    {
      entry: { role: "user", parts: [{ functionResponse: { name: 7, response: {} } }] },
      got: ".parts[0].functionResponse.name is not a string: got 7.",
    },
    { entry: { role: "model", parts: [{ functionCall: ["a"] }] }, got: "is not an object" },
    { entry: { role: 3, parts: [] }, got: ".role is not a string: got 3." },
    { entry: { role: "model", parts: [{ text: 3 }] }, got: ".parts[0].text is not a string" },
  ])("$entry is refused", ({ entry, got }) => {
    expectInvalidHistory(codec, [ok, ok, entry], {
      index: 2,
      source: "toolbatch/google",
      says: got,
    });
  });

  // It was spread into one key per character: 2.9 s and a million keys for 1 MB, and a tool_use
  // named "" once rendered for Anthropic.
  it("refuses a functionCall that is a string, however long", () => {
    expectInvalidHistory(
      codec,
      [ok, { role: "model", parts: [{ functionCall: "x".repeat(1_000_000) }] }],
      {
        index: 1,
        source: "toolbatch/google",
        says: '.parts[0].functionCall is not an object: got "xxx',
      },
    );
  });

  it("reads a content without parts as an empty one, as before", () => {
    expect(codec.read([{} as never]).transcript).toEqual({ turns: [] });
  });
});
