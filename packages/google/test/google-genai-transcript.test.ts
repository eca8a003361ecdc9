import type { Content, Language, Outcome } from "@google/genai";
import {
  assistantTurnsOf,
  callsOf,
  deepFreeze,
  type GeminiRequest,
  geminiWire,
  type Recording,
} from "@toolbatch/contract";
import { PORTABLE_CALL_ID, type Transcript } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { googleGenAI, googleGenAITranscript } from "../src/index.js";
import { call } from "./support.js";
import {
  codes,
  conversations,
  geminiRecordings,
  mixedResults,
  problems,
  recordedBatch,
  recordedHistory,
  withWrappedResponses,
} from "./transcript-support.js";

const codec = googleGenAITranscript();
const PLACEHOLDER = "skip_thought_signature_validator";

describe.each(conversations.map((recording) => [recording.key, recording] as const))(
  "recorded conversation %s",
  (_key, recording: Recording) => {
    const history = deepFreeze(recordedHistory(recording));
    const [question, model, answers] = history as [Content, Content, Content];

    it("reads the question, the recorded batch and its results, paired", () => {
      const { transcript, warnings } = codec.read(history);
      expect(warnings).toEqual([]);
      expect(transcript.turns).toHaveLength(2);
      expect(transcript.turns[0]).toEqual({ role: "user", text: question.parts?.[0]?.text });
      const [turn] = assistantTurnsOf(transcript);
      expect(turn?.text).toBe("");
      expect(turn?.calls.map(({ name, input }) => ({ name, input }))).toEqual(
        recording.expected.calls.map(({ name, input }) => ({ name, input })),
      );
      // The ids the history holds (Gemini's, or the ones its client sent), else synthesized.
      const wireIds = (model.parts ?? []).map((part) => part.functionCall?.id);
      turn?.calls.forEach((found, index) => {
        const wireId = wireIds[index];
        if (wireId) expect(found).toMatchObject({ id: wireId });
        else
          expect(found).toMatchObject({
            id: expect.stringMatching(PORTABLE_CALL_ID),
            idSynthesized: true,
          });
      });
      expect(turn?.results?.map((result) => result.callId)).toEqual(turn?.calls.map((c) => c.id));
      expect(turn?.results?.map((result) => result.output)).toEqual(
        (answers.parts ?? []).map((part) => part.functionResponse?.response),
      );
      expect(turn?.results?.every((result) => !result.isError)).toBe(true);
      expect(turn?.calls[0]?.state).toMatchObject({
        vendor: "gemini",
        kind: "thought-signature",
        value: { part: { thoughtSignature: model.parts?.[0]?.thoughtSignature } },
      });
    });

    it("renders it back as recorded, results spelled { output }, and Gemini's schema accepts it", () => {
      const rendered = codec.render(codec.read(history).transcript);
      expect(rendered.messages).toStrictEqual(withWrappedResponses(history));
      expect(geminiWire.comparable(rendered.messages)).toStrictEqual(
        geminiWire.comparable(history),
      );
      expect(rendered.warnings).toEqual([]);
      expect(rendered.idMap.size).toBe(0);
      expect(problems(rendered)).toEqual([]);
    });

    it("reads the history toolbatch sends: Gemini's ids, synthesized ones where it sent none, never sent", () => {
      const sent = deepFreeze([
        ...geminiWire.history(recording.request as GeminiRequest),
        ...(geminiWire.recordedFollowUp(recording) ?? []),
      ]);
      const { transcript } = codec.read(sent);
      callsOf(transcript).forEach((found, index) => {
        const expected = recording.expected.calls[index]?.id;
        expect(found.idSynthesized).toBe(expected === null ? true : undefined);
        if (expected) expect(found.id).toBe(expected);
      });
      const rendered = codec.render(transcript);
      expect(rendered.messages).toStrictEqual(withWrappedResponses(sent));
      expect(problems(rendered)).toEqual([]);
    });
  },
);

describe.each(geminiRecordings.map((recording) => [recording.key, recording] as const))(
  "the history googleGenAI() writes for %s",
  (_key, recording: Recording) => {
    const batch = recordedBatch(recording);
    const history = deepFreeze<Content[]>([
      { role: "user", parts: [{ text: "Go." }] },
      ...googleGenAI().toFollowUp(batch, mixedResults(batch)),
    ]);

    it("reads as the recorded calls, each answered, errors flagged", () => {
      const { transcript, warnings } = codec.read(history);
      expect(warnings).toEqual([]);
      const calls = callsOf(transcript);
      expect(calls.map(({ name, input }) => ({ name, input }))).toEqual(
        recording.expected.calls.map(({ name, input }) => ({ name, input })),
      );
      calls.forEach((found, index) => {
        const expected = recording.expected.calls[index]?.id;
        expect(found.id).toBe(expected ?? found.id);
        expect(found.idSynthesized).toBe(expected === null ? true : undefined);
      });
      expect(assistantTurnsOf(transcript)[0]?.results).toEqual(
        calls.map((found, index) => ({
          callId: found.id,
          name: found.name,
          isError: index % 2 === 1,
          output: index % 2 === 0 ? { answer: index } : `call ${index} failed`,
        })),
      );
    });

    it("renders back as written, a placeholder signature only where Gemini signed nothing", () => {
      const rendered = codec.render(codec.read(history).transcript);
      const turn = history[1] as Content;
      const signed = (turn.parts ?? []).some((part) => part.thoughtSignature);
      expect(problems(rendered)).toEqual([]);
      if (signed) {
        expect(rendered.messages).toStrictEqual(history);
        expect(rendered.warnings).toEqual([]);
        return;
      }
      // gm10 is a hand-trimmed mock without signatures: Gemini 3 would refuse it as it is.
      const [first, ...rest] = turn.parts ?? [];
      expect(rendered.messages).toStrictEqual([
        history[0],
        { ...turn, parts: [{ ...first, thoughtSignature: PLACEHOLDER }, ...rest] },
        history[2],
      ]);
      expect(codes(rendered)).toEqual(["signature-placeholder"]);
    });
  },
);

describe("Gemini's own parts", () => {
  // Modelled on gm4 and gm5: their follow-up answers carry a signature on a trailing empty part
  // (stream) and on the text part itself (Vertex, unstreamed).
  const history = deepFreeze<Content[]>([
    { role: "user", parts: [{ text: "Add and multiply 2 and 3" }] },
    {
      role: "model",
      parts: [
        { text: "Both at once.", thought: true, thoughtSignature: "c2lnLXRob3VnaHQ=" },
        { text: "Calling both." },
        call("add", { a: 2, b: 3 }, { id: "8hd01vsf", thoughtSignature: "c2lnLWNhbGw=" }),
        call("multiply", { a: 2, b: 3 }, { id: "k0srpqrc" }),
      ],
    },
    {
      role: "user",
      parts: [
        { functionResponse: { id: "8hd01vsf", name: "add", response: { output: 5 } } },
        { functionResponse: { id: "k0srpqrc", name: "multiply", response: { output: 6 } } },
      ],
    },
    {
      role: "model",
      parts: [
        { text: "The sum is 5, the product is 6." },
        { text: "", thoughtSignature: "c2lnLXRyYWlsaW5n" },
      ],
    },
    { role: "user", parts: [{ text: "Thanks" }] },
    { role: "model", parts: [{ text: "You are welcome.", thoughtSignature: "c2lnLXRleHQ=" }] },
  ]);

  it("keeps thoughts, signatures and ids as state, and the texts as text", () => {
    const { transcript, warnings } = codec.read(history);
    expect(warnings).toEqual([]);
    const [batch, answer, welcome] = assistantTurnsOf(transcript);
    expect(batch?.text).toBe("Calling both.");
    expect(batch?.state).toEqual([
      { vendor: "gemini", kind: "thought", value: history[1]?.parts?.[0] },
    ]);
    expect(batch?.calls.map((found) => found.state)).toEqual([
      {
        vendor: "gemini",
        kind: "thought-signature",
        value: { hasId: true, part: { thoughtSignature: "c2lnLWNhbGw=" } },
      },
      { vendor: "gemini", kind: "call-id", value: { hasId: true, part: {} } },
    ]);
    expect(answer?.text).toBe("The sum is 5, the product is 6.");
    expect(answer?.state).toEqual([
      {
        vendor: "gemini",
        kind: "thought-signature",
        value: { part: history[3]?.parts?.[1], afterCalls: 0, afterText: 31 },
      },
    ]);
    expect(welcome?.text).toBe("You are welcome.");
    expect(welcome?.state?.[0]?.value).toEqual({
      part: history[5]?.parts?.[0],
      afterCalls: 0,
      afterText: 0,
    });
  });

  it("renders them back exactly, each signature on its part", () => {
    const rendered = codec.render(codec.read(history).transcript);
    expect(rendered.messages).toStrictEqual(history);
    expect(rendered.warnings).toEqual([]);
    expect(problems(rendered)).toEqual([]);
  });

  it("puts code execution and the model's images back between the texts they came between", () => {
    const turn = deepFreeze<Content[]>([
      {
        role: "model",
        parts: [
          { text: "I'll compute it." },
          { executableCode: { language: "PYTHON" as Language, code: "print(2 * 3)" } },
          { codeExecutionResult: { outcome: "OUTCOME_OK" as Outcome, output: "6\n" } },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { text: "It is 6." },
        ],
      },
    ]);
    const { transcript } = codec.read(turn);
    const [read] = assistantTurnsOf(transcript);
    // Text parts join as the SDK's `response.text` joins them: as they are.
    expect(read?.text).toBe("I'll compute it.It is 6.");
    expect(read?.state?.map((item) => item.kind)).toEqual([
      "executableCode",
      "codeExecutionResult",
      "inlineData",
    ]);
    expect(codec.render(transcript).messages).toStrictEqual(turn);
  });

  it("joins text a stream split over parts and over model contents (chats.sendMessageStream)", () => {
    const streamed = deepFreeze<Content[]>([
      { role: "user", parts: [{ text: "Hi" }] },
      { role: "model", parts: [{ text: "Hel" }] },
      { role: "model", parts: [{ text: "lo" }, { text: " there." }] },
      { role: "model", parts: [{ text: "", thoughtSignature: "c2ln" }] },
    ]);
    const { transcript } = codec.read(streamed);
    expect(transcript.turns).toHaveLength(2);
    expect(assistantTurnsOf(transcript)[0]?.text).toBe("Hello there.");
    // One content, the text in one part: what googleGenAI() keeps of the same stream.
    expect(codec.render(transcript).messages).toStrictEqual([
      streamed[0],
      { role: "model", parts: [{ text: "Hello there." }, { text: "", thoughtSignature: "c2ln" }] },
    ]);
  });

  it("reads a batch split over consecutive model contents as one batch", () => {
    const split = deepFreeze<Content[]>([
      { role: "user", parts: [{ text: "Add and multiply 2 and 3" }] },
      { role: "model", parts: [call("add", { a: 2, b: 3 }, { thoughtSignature: "c2ln" })] },
      { role: "model", parts: [call("multiply", { a: 2, b: 3 })] },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "add", response: { output: 5 } } },
          { functionResponse: { name: "multiply", response: { output: 6 } } },
        ],
      },
    ]);
    const reading = codec.read(split);
    expect(reading.warnings).toEqual([]);
    const [turn] = assistantTurnsOf(reading.transcript);
    expect(turn?.results?.map((result) => [result.name, result.output])).toEqual([
      ["add", 5],
      ["multiply", 6],
    ]);
    const rendered = codec.render(reading.transcript);
    expect(rendered.messages).toHaveLength(3);
    expect(rendered.messages[1]?.parts).toStrictEqual([
      ...(split[1]?.parts ?? []),
      ...(split[2]?.parts ?? []),
    ]);
  });

  it("keeps a signature whose text was edited, on an empty text part", () => {
    const { transcript } = codec.read(history.slice(4));
    const [thanks, welcome] = transcript.turns;
    if (welcome?.role !== "assistant" || !thanks) throw new Error("expected two turns");
    const edited: Transcript = { turns: [thanks, { ...welcome, text: "Welcome!" }] };
    expect(codec.render(edited).messages[1]?.parts).toStrictEqual([
      { text: "", thoughtSignature: "c2lnLXRleHQ=" },
      { text: "Welcome!" },
    ]);
  });
});
