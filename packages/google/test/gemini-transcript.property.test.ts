import type { Content } from "@google/genai";
import type { GenerateContentRequest } from "@google/generative-ai";
import {
  callsOf,
  geminiLegacyWire,
  withOriginalIds,
  withoutForeignState,
} from "@toolbatch/contract";
import {
  GEMINI_CALL_IDS,
  type RenderedHistory,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptCodec,
  type TranscriptTurn,
  type VendorState,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { googleGenAITranscript, googleGenerativeAITranscript } from "../src/index.js";
import { baseRequest, problems, withoutSynthesizedFlags } from "./transcript-support.js";

/**
 * Random transcripts as any vendor could hand them over: ids of every vendor and none (empty,
 * repeated, long, any character), Gemini's own state (ids it sent, signatures on calls, thought
 * parts, a trailing signed part) mixed with other vendors' state, answered and pending batches,
 * errors and outputs of any JSON shape.
 */
const signature = fc.stringMatching(/^[A-Za-z0-9+/]{4,24}={0,2}$/);
const foreignState = fc.record({
  vendor: fc.constantFrom("anthropic", "openai-responses"),
  kind: fc.constantFrom("thinking", "reasoning"),
  value: fc.jsonValue({ maxDepth: 1 }),
});
const callState: fc.Arbitrary<VendorState | undefined> = fc.option(
  fc.oneof(
    fc
      .record({ signature: fc.option(signature, { nil: undefined }) })
      .map(({ signature }) => geminiCallState(true, signature)),
    signature.map((value) => geminiCallState(false, value)),
    foreignState,
  ),
  { nil: undefined },
);
const callId = fc.oneof(
  fc.constantFrom("call_0", "toolu_01A", "fc_1", "1", "dup", ""),
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 41, maxLength: 90 }),
);
const call: fc.Arbitrary<TranscriptCall> = fc
  .record({
    id: callId,
    synthesized: fc.boolean(),
    name: fc.constantFrom("add", "multiply", "sum", "get_weather"),
    input: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 3,
    }),
    state: callState,
  })
  .map(({ id, synthesized, name, input, state }) => ({
    id,
    // A reader marks an id synthesized only where the source sent none: never with Gemini's own.
    ...(synthesized && !(isGemini(state) && hasId(state)) ? { idSynthesized: true } : {}),
    name,
    input,
    ...(state ? { state } : {}),
  }));
const thought = fc
  .record({ text: fc.string(), signature: fc.option(signature, { nil: undefined }) })
  .map(
    ({ text, signature }): VendorState => ({
      vendor: "gemini",
      kind: "thought",
      value: { text, thought: true, ...(signature ? { thoughtSignature: signature } : {}) },
    }),
  );

const assistantTurn = (pending: boolean): fc.Arbitrary<TranscriptAssistantTurn> =>
  fc
    .record({
      text: fc.string(),
      calls: fc.array(call, { minLength: pending ? 1 : 0, maxLength: 4 }),
      errors: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      outputs: fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 4, maxLength: 4 }),
      thoughts: fc.array(thought, { maxLength: 2 }),
      foreign: fc.array(foreignState, { maxLength: 2 }),
      trailing: fc.option(signature, { nil: undefined }),
    })
    .map(({ text, calls, errors, outputs, thoughts, foreign, trailing }) => {
      // Gemini's state in the order its parts come (thoughts first, a trailing signed part
      // last), other vendors' anywhere.
      const placed: VendorState[] = trailing
        ? [
            {
              vendor: "gemini",
              kind: "thought-signature",
              value: {
                part: { text: "", thoughtSignature: trailing },
                afterCalls: calls.length,
                afterText: text.length,
              },
            },
          ]
        : [];
      const state = [...foreign.slice(0, 1), ...thoughts, ...foreign.slice(1), ...placed];
      const results = calls.map((found, index) => ({
        callId: found.id,
        name: found.name,
        isError: errors[index] as boolean,
        output: outputs[index],
      }));
      return {
        role: "assistant" as const,
        text,
        calls,
        ...(pending ? {} : { results }),
        ...(state.length > 0 ? { state } : {}),
      };
    });

const transcript: fc.Arbitrary<Transcript> = fc
  .record({
    system: fc.option(fc.string(), { nil: undefined }),
    exchanges: fc.array(fc.tuple(fc.string(), assistantTurn(false)), { maxLength: 4 }),
    pending: fc.option(fc.tuple(fc.string(), assistantTurn(true)), { nil: undefined }),
  })
  .map(({ system, exchanges, pending }) => {
    const turns: TranscriptTurn[] = [...exchanges, ...(pending ? [pending] : [])].flatMap(
      ([text, turn]) => [{ role: "user" as const, text }, turn],
    );
    return system === undefined ? { turns } : { system, turns };
  });

type Options = Parameters<typeof googleGenAITranscript>[0];

// Both codecs render the same JSON; the legacy one is typed with its SDK's Content.
const codecs = [
  { name: "googleGenAITranscript", make: googleGenAITranscript, problems },
  {
    name: "googleGenerativeAITranscript",
    make: (options?: Options) =>
      googleGenerativeAITranscript(options) as unknown as TranscriptCodec<Content>,
    problems: (rendered: RenderedHistory<Content>) =>
      geminiLegacyWire.validateRequest(
        geminiLegacyWire.withHistory(
          baseRequest as unknown as GenerateContentRequest,
          rendered.messages as unknown as GenerateContentRequest["contents"],
        ),
      ),
  },
];

describe.each(codecs)("$name on random transcripts", ({ make, problems: check }) => {
  const codec = make({ signaturePlaceholder: false });
  const render = (value: Transcript) =>
    codec.render(value) as { messages: Content[] } & ReturnType<typeof codec.render>;

  it("renders valid, unique ids, each response with its call's, and reads back the transcript", () => {
    fc.assert(
      fc.property(transcript, (value) => {
        const rendered = render(value);
        expect(check(rendered)).toEqual([]);

        const sent = rendered.messages.flatMap((content) =>
          (content.parts ?? []).flatMap((part) =>
            part.functionCall?.id ? [part.functionCall.id] : [],
          ),
        );
        for (const id of sent) expect(GEMINI_CALL_IDS.accepts(id)).toBe(true);
        expect(new Set(sent).size).toBe(sent.length);
        rendered.messages.forEach((content, index) => {
          const answers = rendered.messages[index + 1];
          if (content.role !== "model" || !answers || answers.role === "model") return;
          const asked = (content.parts ?? []).flatMap((part) => part.functionCall ?? []);
          const answered = (answers.parts ?? []).flatMap((part) => part.functionResponse ?? []);
          if (answered.length === 0) return;
          expect(answered.map(({ id, name }) => ({ id, name }))).toEqual(
            asked.map(({ id, name }) => ({ id, name })),
          );
        });

        const back = codec.read(rendered.messages);
        expect(back.warnings).toEqual([]);
        // An id reads back as sent exactly where Gemini had sent it.
        expect(callsOf(back.transcript).map((found) => found.idSynthesized === true)).toEqual(
          callsOf(value).map((found) => !(isGemini(found.state) && hasId(found.state))),
        );
        const restored = withOriginalIds(back.transcript, rendered.idMap);
        const expected = withoutForeignState(structuredClone(value), "gemini");
        const { system: _system, ...withoutSystem } = expected;
        expect(withoutSynthesizedFlags(restored)).toStrictEqual(
          withoutSynthesizedFlags(withoutSystem),
        );
        expect(rendered.system).toBe(value.system);
      }),
      { numRuns: 300 },
    );
  });

  it("renders the same transcript to the same contents every time", () => {
    fc.assert(
      fc.property(transcript, (value) => {
        expect(render(structuredClone(value))).toStrictEqual(render(value));
      }),
    );
  });

  it("signs the first call of every model turn with calls that Gemini did not sign", () => {
    const signing = make();
    fc.assert(
      fc.property(transcript, (value) => {
        const rendered = signing.render(value);
        expect(check(rendered)).toEqual([]);
        for (const content of rendered.messages) {
          const parts = content.parts ?? [];
          const first = parts.find((part) => part.functionCall);
          if (content.role === "model" && first) {
            expect(parts.some((part) => part.thoughtSignature)).toBe(true);
          }
        }
        const placeholders = rendered.warnings.filter((w) => w.code === "signature-placeholder");
        expect(placeholders.length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

function geminiCallState(id: boolean, thoughtSignature: string | undefined): VendorState {
  return {
    vendor: "gemini",
    kind: thoughtSignature ? "thought-signature" : "call-id",
    value: { hasId: id, part: thoughtSignature ? { thoughtSignature } : {} },
  };
}

function isGemini(state: VendorState | undefined): state is VendorState {
  return state?.vendor === "gemini";
}

function hasId(state: VendorState): boolean {
  return (state.value as { hasId?: boolean }).hasId === true;
}
