import type { Content } from "@google/genai";
import { callsOf, deepFreeze, withOriginalIds } from "@toolbatch/contract";
import {
  InvalidTranscriptError,
  PORTABLE_CALL_ID,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { googleGenAITranscript } from "../src/index.js";
import { codes, problems, withoutSynthesizedFlags } from "./transcript-support.js";

const codec = googleGenAITranscript();
const PLACEHOLDER = "skip_thought_signature_validator";

/** An answered assistant turn: one call per id, the second one failed. */
function batch(
  ids: readonly string[],
  extra: Partial<TranscriptAssistantTurn> = {},
): TranscriptAssistantTurn {
  const calls: TranscriptCall[] = ids.map((id, index) => ({
    id,
    name: "get_weather",
    input: { city: `city ${index}` },
  }));
  return {
    role: "assistant",
    text: "",
    calls,
    results: calls.map((found, index) => ({
      callId: found.id,
      name: found.name,
      isError: index === 1,
      output: index === 1 ? "Error (timeout): no answer in 5s" : { celsius: 18 + index },
    })),
    ...extra,
  };
}

/** Gemini state of a call, as the codec reads it. */
const geminiCall = (hasId: boolean, thoughtSignature?: string) => ({
  vendor: "gemini",
  kind: thoughtSignature ? "thought-signature" : "call-id",
  value: { hasId, part: thoughtSignature ? { thoughtSignature } : {} },
});

// Written by another vendor: Anthropic ids, a thinking block, a signature on a call.
const foreign = deepFreeze<Transcript>({
  system: "Be brief.",
  turns: [
    { role: "user", text: "Weather in Paris and Tokyo?" },
    batch(["toolu_01A", "toolu_01B"], {
      text: "Checking both.",
      state: [{ vendor: "anthropic", kind: "thinking", value: { signature: "EqQB" } }],
    }),
    { role: "assistant", text: "18 in Paris; Tokyo timed out.", calls: [] },
  ],
});

describe("a conversation another vendor wrote", () => {
  const rendered = codec.render(foreign);

  it("renders Gemini contents: no foreign id, a placeholder signature, results by order and name", () => {
    expect(rendered.messages).toStrictEqual<Content[]>([
      { role: "user", parts: [{ text: "Weather in Paris and Tokyo?" }] },
      {
        role: "model",
        parts: [
          { text: "Checking both." },
          {
            functionCall: { name: "get_weather", args: { city: "city 0" } },
            thoughtSignature: PLACEHOLDER,
          },
          { functionCall: { name: "get_weather", args: { city: "city 1" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { output: { celsius: 18 } } } },
          {
            functionResponse: {
              name: "get_weather",
              response: { error: "Error (timeout): no answer in 5s" },
            },
          },
        ],
      },
      { role: "model", parts: [{ text: "18 in Paris; Tokyo timed out." }] },
    ]);
    expect(rendered.system).toBe("Be brief.");
    expect(problems(rendered)).toEqual([]);
  });

  it("says what it dropped and replaced, once each", () => {
    expect(rendered.warnings).toEqual([
      {
        code: "state-dropped",
        // prepareTranscript's words (core).
        message: expect.stringMatching(/^anthropic thinking .*cannot be sent to gemini/),
        turn: 1,
      },
      { code: "signature-placeholder", message: expect.stringContaining(PLACEHOLDER) },
      { code: "id-remapped", message: expect.stringContaining("not issued by Gemini") },
    ]);
  });

  it("reads back as the transcript, ids through idMap, foreign state gone", () => {
    const back = codec.read(rendered.messages);
    expect(back.warnings).toEqual([]);
    const calls = callsOf(back.transcript);
    expect(calls.every((found) => found.idSynthesized && PORTABLE_CALL_ID.test(found.id))).toBe(
      true,
    );
    expect([...rendered.idMap.values()]).toEqual(["toolu_01A", "toolu_01B"]);
    expect([...rendered.idMap.keys()]).toEqual(calls.map((found) => found.id));
    // The foreign state is gone; the placeholder reads back as the signature it now is.
    const { state: _thinking, ...turn } = foreign.turns[1] as TranscriptAssistantTurn;
    const [first, ...rest] = turn.calls;
    const expected: Transcript = {
      turns: [
        foreign.turns[0] as Transcript["turns"][number],
        {
          ...turn,
          calls: [{ ...first, state: geminiCall(false, PLACEHOLDER) }, ...rest],
        } as TranscriptAssistantTurn,
        // Readers answer a turn without calls with no results.
        { ...(foreign.turns[2] as TranscriptAssistantTurn), results: [] },
      ],
    };
    expect(withoutSynthesizedFlags(withOriginalIds(back.transcript, rendered.idMap))).toStrictEqual(
      expected,
    );
  });

  it("drops another vendor's call state too", () => {
    const signed = deepFreeze<Transcript>({
      turns: [
        batch(["call_1"], {
          calls: [
            {
              id: "call_1",
              name: "get_weather",
              input: {},
              state: { vendor: "openai-responses", kind: "reasoning", value: "gAAAA" },
            },
          ],
          results: [{ callId: "call_1", name: "get_weather", isError: false, output: "18" }],
        }),
      ],
    });
    const out = codec.render(signed);
    expect(out.messages[0]?.parts).toStrictEqual([
      { functionCall: { name: "get_weather", args: {} }, thoughtSignature: PLACEHOLDER },
    ]);
    expect(codes(out)).toEqual(["state-dropped", "signature-placeholder", "id-remapped"]);
  });
});

describe("the placeholder signature", () => {
  const twoBatches = deepFreeze<Transcript>({
    turns: [
      { role: "user", text: "Go" },
      batch(["a", "b"]),
      batch(["c", "d", "e"]),
      { role: "user", text: "Again" },
      batch(["f"], { results: undefined }),
    ],
  });

  it("goes on the first call of each turn with calls, with one warning for the render", () => {
    const rendered = codec.render(twoBatches);
    const models = rendered.messages.filter((content) => content.role === "model");
    expect(models.map((content) => content.parts?.map((part) => part.thoughtSignature))).toEqual([
      [PLACEHOLDER, undefined],
      [PLACEHOLDER, undefined, undefined],
      [PLACEHOLDER],
    ]);
    const placeholders = rendered.warnings.filter((w) => w.code === "signature-placeholder");
    expect(placeholders).toHaveLength(1);
    expect(placeholders[0]?.message).toMatch(/^3 model turn/);
  });

  it("is another one when asked, and none with signaturePlaceholder: false", () => {
    const custom = googleGenAITranscript({
      signaturePlaceholder: "context_engineering_is_the_way_to_go",
    }).render(twoBatches);
    expect(custom.messages[1]?.parts?.[0]?.thoughtSignature).toBe(
      "context_engineering_is_the_way_to_go",
    );
    const none = googleGenAITranscript({ signaturePlaceholder: false }).render(twoBatches);
    expect(
      none.messages.flatMap((content) => content.parts ?? []).some((part) => part.thoughtSignature),
    ).toBe(false);
    expect(codes(none)).not.toContain("signature-placeholder");
  });

  it("is not added where Gemini signed the turn, on a call or on a later part", () => {
    const signedOnCall = batch(["a", "b"], {
      calls: [
        { id: "a", name: "get_weather", input: {}, state: geminiCall(false, "c2ln") },
        { id: "b", name: "get_weather", input: {} },
      ],
    });
    const signedAfter = batch(["c"], {
      state: [
        {
          vendor: "gemini",
          kind: "thought-signature",
          value: { part: { text: "", thoughtSignature: "dHJhaWw=" }, afterCalls: 1, afterText: 0 },
        },
      ],
    });
    const rendered = codec.render({ turns: [signedOnCall, signedAfter] });
    expect(codes(rendered)).not.toContain("signature-placeholder");
    expect(rendered.messages[0]?.parts?.map((part) => part.thoughtSignature)).toEqual([
      "c2ln",
      undefined,
    ]);
    expect(rendered.messages[2]?.parts).toStrictEqual([
      { functionCall: { name: "get_weather", args: { city: "city 0" } } },
      { text: "", thoughtSignature: "dHJhaWw=" },
    ]);
  });
});

describe("call ids", () => {
  it("sends Gemini's own ids, in the call and its response", () => {
    const turn = batch(["fc_1", "fc_2"], {
      calls: ["fc_1", "fc_2"].map((id) => ({
        id,
        name: "get_weather",
        input: {},
        state: geminiCall(true, id === "fc_1" ? "c2ln" : undefined),
      })),
    });
    const rendered = codec.render({ turns: [turn] });
    expect(rendered.messages.map((content) => content.parts?.map(partId))).toEqual([
      ["fc_1", "fc_2"],
      ["fc_1", "fc_2"],
    ]);
    expect(rendered.idMap.size).toBe(0);
    expect(rendered.warnings).toEqual([]);
  });

  it("replaces a Gemini id that repeats an earlier one or is empty, the same in call and response", () => {
    // A client that numbers calls per turn ("1", "2" and again "1"), as gm1's did.
    const gemini = (ids: string[]) =>
      batch(ids, {
        calls: ids.map((id) => ({ id, name: "get_weather", input: {}, state: geminiCall(true) })),
      });
    const rendered = codec.render({ turns: [gemini(["1", "2"]), gemini(["1", ""])] });
    const [, , model, answers] = rendered.messages;
    const sent = model?.parts?.map(partId) ?? [];
    expect(sent[0]).toMatch(PORTABLE_CALL_ID);
    expect(sent[1]).toMatch(PORTABLE_CALL_ID);
    expect(answers?.parts?.map(partId)).toEqual(sent);
    expect([...rendered.idMap]).toEqual([
      [sent[0], "1"],
      [sent[1], ""],
    ]);
    expect(rendered.warnings.filter((warning) => warning.code === "id-remapped")).toEqual([
      {
        code: "id-remapped",
        message:
          "2 call id(s) are empty or repeat an earlier id; they are replaced by portable ids (see idMap).",
      },
    ]);
    const back = codec.read(rendered.messages).transcript;
    expect(callsOf(withOriginalIds(back, rendered.idMap)).map((found) => found.id)).toEqual([
      "1",
      "2",
      "1",
      "",
    ]);
  });

  it("never sends a synthesized id, and reads the history back with the same one", () => {
    const synthesized = batch(["gViEnyKhS"], {
      calls: [
        {
          id: "gViEnyKhS",
          idSynthesized: true,
          name: "get_weather",
          input: { city: "city 0" },
          state: geminiCall(false, "c2ln"),
        },
      ],
      results: [{ callId: "gViEnyKhS", name: "get_weather", isError: false, output: 1 }],
    });
    const rendered = codec.render({ turns: [synthesized] });
    expect(rendered.messages.flatMap((content) => content.parts ?? []).map(partId)).toEqual([
      undefined,
      undefined,
    ]);
    const back = codec.read(rendered.messages).transcript;
    const restored = withOriginalIds(back, rendered.idMap);
    expect(restored.turns).toStrictEqual([synthesized]);
  });
});

describe("rendering", () => {
  it("renders a last turn whose calls wait for results as the model content alone", () => {
    const pending = deepFreeze<Transcript>({
      turns: [{ role: "user", text: "Go" }, batch(["a", "b"], { results: undefined })],
    });
    const rendered = codec.render(pending);
    expect(rendered.messages.map((content) => content.role)).toEqual(["user", "model"]);
    const back = codec.read(rendered.messages);
    expect(back.warnings).toEqual([]);
    expect(back.transcript.turns[1]).not.toHaveProperty("results");
    expect(problems(rendered)).toEqual([]);
  });

  it("wraps an input that is not an object, as Gemini's args must be one", () => {
    const rendered = codec.render({
      turns: [
        batch(["a", "b"], {
          calls: [
            { id: "a", name: "patch", input: "*** Begin Patch" },
            { id: "b", name: "ping", input: undefined },
          ],
        }),
      ],
    });
    expect(rendered.messages[0]?.parts?.map((part) => part.functionCall?.args)).toEqual([
      { input: "*** Begin Patch" },
      {},
    ]);
    expect(codes(rendered).filter((code) => code === "input-wrapped")).toHaveLength(1);
  });

  it("writes results as Gemini's { output } and { error }, an undefined output as null", () => {
    const turn = batch(["a", "b", "c"]);
    const results = [
      { callId: "a", name: "get_weather", isError: false, output: undefined },
      { callId: "b", name: "get_weather", isError: true, output: { reason: "quota" } },
      { callId: "c", name: "get_weather", isError: false, output: ["x", 1] },
    ];
    const rendered = codec.render({ turns: [{ ...turn, results }] });
    expect(
      rendered.messages[1]?.parts?.map((part) => part.functionResponse?.response),
    ).toStrictEqual([{ output: null }, { error: { reason: "quota" } }, { output: ["x", 1] }]);
  });

  it("renders system instructions apart, and nothing when there are none", () => {
    expect(codec.render({ system: "Be brief.", turns: [] })).toStrictEqual({
      messages: [],
      system: "Be brief.",
      idMap: new Map(),
      warnings: [],
    });
    expect(codec.render({ turns: [{ role: "user", text: "Hi" }] })).not.toHaveProperty("system");
  });

  it("keeps an empty assistant turn as an empty text part, so turns still alternate", () => {
    const rendered = codec.render({
      turns: [
        { role: "user", text: "Hi" },
        { role: "assistant", text: "", calls: [] },
        { role: "user", text: "Hello?" },
      ],
    });
    expect(rendered.messages[1]).toStrictEqual({ role: "model", parts: [{ text: "" }] });
    expect(codec.read(rendered.messages).transcript.turns).toHaveLength(3);
  });

  it("refuses results that do not answer the calls one to one", () => {
    const turn = batch(["a", "b"]);
    expect(() => codec.render({ turns: [{ ...turn, results: turn.results?.slice(1) }] })).toThrow(
      InvalidTranscriptError,
    );
  });

  it("drops Gemini state in a shape it did not write, with a warning", () => {
    const rendered = codec.render({
      turns: [
        batch(["a"], {
          calls: [
            { id: "a", name: "f", input: {}, state: { vendor: "gemini", kind: "x", value: 1 } },
          ],
          state: [
            { vendor: "gemini", kind: "thought", value: "not a part" },
            { vendor: "gemini", kind: "thought-signature", value: { part: {}, afterCalls: -1 } },
          ],
        }),
      ],
    });
    expect(codes(rendered).filter((code) => code === "state-dropped")).toHaveLength(3);
    expect(rendered.messages[0]?.parts).toHaveLength(1);
  });
});

describe("purity", () => {
  it("never writes to its input, and renders the same transcript the same way every time", () => {
    const rendered = codec.render(foreign);
    expect(codec.render(foreign)).toStrictEqual(rendered);
    expect(codec.render(structuredClone(foreign))).toStrictEqual(rendered);
    const frozen = deepFreeze(structuredClone(rendered.messages));
    expect(codec.read(frozen)).toStrictEqual(codec.read(rendered.messages));
  });

  it("shares no input or output object with the transcript", () => {
    const turn = foreign.turns[1] as TranscriptAssistantTurn;
    const rendered = codec.render(foreign);
    const parts = rendered.messages.flatMap((content) => content.parts ?? []);
    expect(parts.some((part) => part.functionCall?.args === turn.calls[0]?.input)).toBe(false);
    expect(
      parts.some((part) => part.functionResponse?.response?.output === turn.results?.[0]?.output),
    ).toBe(false);
  });
});

function partId(part: NonNullable<Content["parts"]>[number]): string | undefined {
  return part.functionCall?.id ?? part.functionResponse?.id;
}
