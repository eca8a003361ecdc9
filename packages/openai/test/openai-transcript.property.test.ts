import {
  deepFreeze,
  loadRecordings,
  openaiChatWire,
  openaiResponsesWire,
  withOriginalIds,
  withoutForeignState,
} from "@toolbatch/contract";
import {
  type CallIdPolicy,
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
  type Transcript,
  type TranscriptCall,
  type TranscriptCodec,
  type TranscriptResult,
  type TranscriptTurn,
  type VendorState,
} from "@toolbatch/core";
import fc from "fast-check";
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ResponseCreateParams, ResponseInputItem } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { openaiChatTranscript, openaiResponsesTranscript } from "../src/index.js";
import { callIdsOf, copy, resultsMatchCalls } from "./transcript-support.js";

/**
 * Random transcripts (ids invalid, repeated, too long; random batches; errors and outputs; other
 * vendors' state and this vendor's own) rendered and read back.
 */

// Call ids as vendors write them, and as they break the rules: empty, repeated, too long, odd characters.
const callId = fc.oneof(
  fc.constantFrom("call_1", "call_1", "dup", "", "0", "toolu_01A|x", "a.b:c"),
  fc.stringMatching(/^call_[A-Za-z0-9]{24}$/),
  fc.stringMatching(/^[A-Za-z0-9]{9}$/),
  fc.string({ minLength: 1, maxLength: 12, unit: "binary" }),
  fc.string({ minLength: 41, maxLength: 80 }),
);

const ERROR_TEXT = /^Error(?: \([a-z_]+\))?: /;

// Results as a vendor without an error flag gives them back: text, errors saying so in the text.
const resultOf = (call: TranscriptCall): fc.Arbitrary<TranscriptResult> =>
  fc.oneof(
    fc
      .string({ unit: "binary" })
      .filter((text) => !ERROR_TEXT.test(text))
      .map((output) => ({ callId: call.id, name: call.name, isError: false, output })),
    fc
      .tuple(fc.constantFrom("timeout", "invalid_input", "execution_failed"), fc.string())
      .map(([code, message]) => ({
        callId: call.id,
        name: call.name,
        isError: true,
        output: `Error (${code}): ${message}`,
      })),
  );

const foreignState = fc.record({
  vendor: fc.constantFrom("anthropic", "gemini", "other"),
  kind: fc.constantFrom("thinking", "thought-signature", "opaque"),
  value: fc.jsonValue(),
});

/** What one codec's vendor keeps: its own turn state and call states (with the input they need). */
interface OwnState {
  readonly vendor: string;
  /** At most this many of the codec's own state entries per turn. */
  readonly maxTurnState: number;
  readonly turnState: fc.Arbitrary<VendorState>;
  readonly callState: fc.Arbitrary<{ state: VendorState; input: fc.Arbitrary<unknown> }>;
}

// Inputs as JSON carries them (no -0, which a JSON string cannot hold).
const objectInput = fc
  .dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 })
  .map((input): unknown => JSON.parse(JSON.stringify(input)));

function call(own: OwnState): fc.Arbitrary<TranscriptCall> {
  const plain = fc.record({
    id: callId,
    name: fc.constantFrom("get_weather", "add", "look_up", "x"),
    input: objectInput,
  });
  const withState = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: foreignState.map((state) => ({ state, input: objectInput })), weight: 1 },
    { arbitrary: own.callState, weight: 1 },
  );
  return fc
    .tuple(plain, withState)
    .chain(([base, extra]) =>
      extra
        ? extra.input.map((input): TranscriptCall => ({ ...base, input, state: extra.state }))
        : fc.constant<TranscriptCall>(base),
    );
}

function assistantTurn(own: OwnState): fc.Arbitrary<TranscriptTurn> {
  return fc
    .record({
      text: fc.string({ unit: "binary" }),
      calls: fc.array(call(own), { maxLength: 4 }),
      foreign: fc.array(foreignState, { maxLength: 2 }),
      own: fc.array(own.turnState, { maxLength: own.maxTurnState }),
    })
    .chain(({ text, calls, foreign, own: mine }) =>
      fc.tuple(...calls.map(resultOf)).map((results): TranscriptTurn => {
        const state = [...foreign, ...mine];
        return {
          role: "assistant",
          text,
          calls,
          results,
          ...(state.length > 0 ? { state } : {}),
        };
      }),
    );
}

function transcript(own: OwnState): fc.Arbitrary<Transcript> {
  const user = fc
    .string({ unit: "binary" })
    .map((text): TranscriptTurn => ({ role: "user", text }));
  return fc
    .record({
      system: fc.option(fc.string(), { nil: undefined }),
      turns: fc.array(fc.oneof(user, assistantTurn(own)), { minLength: 1, maxLength: 7 }),
      pending: fc.boolean(),
    })
    .map(({ system, turns, pending }) => {
      // Two user turns in a row read back as one, and so (on Responses) does an assistant turn
      // after one without calls: keep the sequences a history can tell apart.
      const kept: TranscriptTurn[] = [];
      for (const turn of turns) {
        const previous = kept[kept.length - 1];
        if (previous?.role === "user" && turn.role === "user") continue;
        if (
          previous?.role === "assistant" &&
          previous.calls.length === 0 &&
          turn.role === "assistant"
        )
          continue;
        kept.push(turn);
      }
      const last = kept[kept.length - 1];
      if (pending && last?.role === "assistant" && last.calls.length > 0) {
        const { results: _results, ...unanswered } = last;
        kept[kept.length - 1] = unanswered;
      }
      // Plain objects, as a history gives back (fast-check builds records without a prototype).
      return copy(system === undefined ? { turns: kept } : { system, turns: kept });
    });
}

const chatState: OwnState = {
  vendor: "openai-chat",
  maxTurnState: 1, // one message has one reasoning_content
  turnState: fc
    .string()
    .map((value) => ({ vendor: "openai-chat", kind: "reasoning_content", value })),
  callState: fc.constant({
    state: { vendor: "openai-chat", kind: "custom", value: null },
    input: fc.string(),
  }),
};

const responsesState: OwnState = {
  vendor: "openai-responses",
  maxTurnState: 3,
  turnState: fc.oneof(
    fc
      .record({ id: fc.stringMatching(/^rs_[a-z0-9]{6}$/), encrypted_content: fc.base64String() })
      .map(({ id, encrypted_content }) => ({
        vendor: "openai-responses",
        kind: "reasoning",
        value: { type: "reasoning", id, summary: [], encrypted_content },
      })),
    fc.constant({
      vendor: "openai-responses",
      kind: "web_search_call",
      value: {
        type: "web_search_call",
        id: "ws_1",
        status: "completed",
        action: { type: "search", query: "weather" },
      },
    }),
  ),
  callState: fc.oneof(
    fc.constant({
      state: {
        vendor: "openai-responses",
        kind: "custom_tool_call",
        value: { type: "custom_tool_call" },
      },
      input: fc.string(),
    }),
    fc.constant({
      state: { vendor: "openai-responses", kind: "namespace", value: { namespace: "crm" } },
      input: objectInput,
    }),
  ),
};

interface Case<Message> {
  readonly name: string;
  readonly codec: TranscriptCodec<Message>;
  readonly policy: CallIdPolicy;
  readonly own: OwnState;
  readonly validate: (messages: readonly Message[]) => string[];
}

const chatRequest = loadRecordings("openai-chat")[0]?.request as ChatCompletionCreateParams;
const responsesRequest = loadRecordings("openai-responses")[0]?.request as ResponseCreateParams;
const validateChat = (messages: readonly ChatCompletionMessageParam[]) =>
  openaiChatWire.validateRequest(openaiChatWire.withHistory(chatRequest, messages));

/** A case for `describe.each`, which takes one type for every case. */
const caseOf = <Message>(entry: Case<Message>) => entry as unknown as Case<unknown>;

const cases = [
  caseOf({
    name: "openaiChatTranscript()",
    codec: openaiChatTranscript(),
    policy: OPENAI_CALL_IDS,
    own: chatState,
    validate: validateChat,
  }),
  caseOf({
    name: "openaiChatTranscript({ callIds: MISTRAL_CALL_IDS })",
    codec: openaiChatTranscript({ callIds: MISTRAL_CALL_IDS }),
    policy: MISTRAL_CALL_IDS,
    own: chatState,
    validate: validateChat,
  }),
  caseOf({
    name: "openaiResponsesTranscript()",
    codec: openaiResponsesTranscript(),
    policy: OPENAI_CALL_IDS,
    own: responsesState,
    validate: (messages: readonly ResponseInputItem[]) =>
      openaiResponsesWire.validateRequest(
        openaiResponsesWire.withHistory(responsesRequest, messages),
      ),
  }),
];

describe.each(cases)("$name on random transcripts", ({ codec, policy, own, validate }) => {
  it("renders valid, unique ids, answered by their own results, in a history the spec accepts, that reads back", () => {
    fc.assert(
      fc.property(transcript(own), (original) => {
        const input = deepFreeze(copy(original));
        const rendered = codec.render(input);
        const back = codec.read(rendered.messages);
        const ids = callIdsOf(back.transcript);
        expect(ids.every((id) => policy.accepts(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        expect(resultsMatchCalls(back.transcript)).toBe(true);
        expect(validate(rendered.messages)).toEqual([]);
        expect(back.warnings).toEqual([]);
        for (const [renderedId, originalId] of rendered.idMap) {
          expect(ids).toContain(renderedId);
          expect(callIdsOf(original)).toContain(originalId);
        }
        expect(withOriginalIds(back.transcript, rendered.idMap)).toStrictEqual(
          withoutForeignState(original, own.vendor),
        );
        expect(codec.render(input)).toStrictEqual(rendered);
        expect(input).toStrictEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
