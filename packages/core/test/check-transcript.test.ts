import { describe, expect, it } from "vitest";
import { InvalidTranscriptError, OPENAI_CALL_IDS, prepareTranscript } from "../src/index.js";

const target = { vendor: "test", callIds: OPENAI_CALL_IDS, source: "toolbatch/test" };
const call = { id: "call_1", name: "lookup", input: {} };
const result = { callId: "call_1", name: "lookup", isError: false, output: "ok" };
const answered = { role: "assistant", text: "", calls: [call], results: [result] };
const assistant = (fields: Record<string, unknown>) => ({ turns: [{ ...answered, ...fields }] });
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

// A transcript loaded from storage is untyped JSON: [what it is, turn at fault, what the error says].
const MALFORMED: [unknown, number, string][] = [
  [null, -1, "the transcript is not an object: got null."],
  [[], -1, "the transcript is not an object: got an array."],
  [{ turns: "abc" }, -1, `the transcript's turns are not an array: got "abc".`],
  [{ turns: null }, -1, "the transcript's turns are not an array: got null."],
  [{ system: 5, turns: [] }, -1, "the transcript's system is not a string: got 5."],
  [{ system: null, turns: [] }, -1, "the transcript's system is not a string: got null."],
  [{ turns: [null] }, 0, "turn 0 is not an object: got null."],
  [{ turns: [{ role: "user", text: "a" }, 42] }, 1, "turn 1 is not an object: got 42."],
  [{ turns: [{ role: "user", text: 42 }] }, 0, "turn 0.text is not a string: got 42."],
  [{ turns: [{ role: "user" }] }, 0, "turn 0.text is not a string: got undefined."],
  [assistant({ text: null }), 0, "turn 0.text is not a string: got null."],
  [assistant({ calls: "x" }), 0, `turn 0.calls is not an array: got "x".`],
  [assistant({ calls: undefined }), 0, "turn 0.calls is not an array: got undefined."],
  [assistant({ calls: [null] }), 0, "turn 0.calls[0] is not an object: got null."],
  [assistant({ calls: [{ ...call, id: 5 }] }), 0, "turn 0.calls[0].id is not a string: got 5."],
  [
    assistant({ calls: [{ ...call, id: Object.create(null) }] }),
    0,
    "turn 0.calls[0].id is not a string: got an object.",
  ],
  [assistant({ calls: [{ ...call, name: 7 }] }), 0, "turn 0.calls[0].name is not a string: got 7."],
  [
    assistant({ calls: [{ ...call, idSynthesized: "yes" }] }),
    0,
    `turn 0.calls[0].idSynthesized is not a boolean: got "yes".`,
  ],
  [
    assistant({ calls: [{ ...call, state: "x" }] }),
    0,
    `turn 0.calls[0].state is not an object: got "x".`,
  ],
  [
    assistant({ calls: [{ ...call, state: { kind: "k", value: 1 } }] }),
    0,
    "turn 0.calls[0].state.vendor is not a string: got undefined.",
  ],
  [assistant({ results: "ab" }), 0, `turn 0.results is not an array: got "ab".`],
  [assistant({ results: [null] }), 0, "turn 0.results[0] is not an object: got null."],
  [
    assistant({ results: [{ ...result, callId: 1 }] }),
    0,
    "turn 0.results[0].callId is not a string: got 1.",
  ],
  [
    assistant({ results: [{ ...result, isError: "yes" }] }),
    0,
    `turn 0.results[0].isError is not a boolean: got "yes".`,
  ],
  [assistant({ state: "x" }), 0, `turn 0.state is not an array: got "x".`],
  [assistant({ state: [null] }), 0, "turn 0.state[0] is not an object: got null."],
  [
    assistant({ state: [{ vendor: "test", kind: 3, value: 1 }] }),
    0,
    "turn 0.state[0].kind is not a string: got 3.",
  ],
  [{ turns: [{ role: "__proto__", text: "" }] }, 0, `turn 0 has role "__proto__"; expected`],
  [
    {
      get turns() {
        throw new Error("hostile getter");
      },
    },
    -1,
    "the transcript could not be read.",
  ],
  [{ turns: [revoked()] }, 0, "turn 0 could not be read"],
  [
    {
      turns: new Proxy([], {
        get: () => {
          throw new Error("hostile trap");
        },
      }),
    },
    -1,
    "the transcript could not be read.",
  ],
];

describe("prepareTranscript on a malformed transcript", () => {
  // Before, each of these reached a renderer as it was: TypeErrors ("Cannot read properties of
  // null", "turn.calls is not iterable", "text.trim is not a function"), what a getter threw, or
  // a render that went through with a number as the tool name.
  for (const [transcript, turn, says] of MALFORMED) {
    it(`refuses it with InvalidTranscriptError: ${says}`, () => {
      let thrown: unknown;
      try {
        prepareTranscript(transcript as never, target);
      } catch (error) {
        thrown = error;
      }
      expect(InvalidTranscriptError.isInstance(thrown), String(thrown)).toBe(true);
      const error = thrown as InvalidTranscriptError;
      expect(error.turn).toBe(turn);
      expect(error.message.startsWith(`[toolbatch/test] ${says}`), error.message).toBe(true);
    });
  }

  it("copies a transcript of null-prototype objects, and shares nothing with it", () => {
    const bare = <T extends object>(fields: T): T => Object.assign(Object.create(null), fields);
    const input = bare({ city: "Paris" });
    const transcript = bare({
      turns: [bare({ ...answered, calls: [bare({ ...call, input })], results: [bare(result)] })],
    });
    const prepared = prepareTranscript(transcript as never, target);
    expect(prepared.turns).toStrictEqual([
      { ...answered, calls: [{ ...call, input: { city: "Paris" } }], results: [result] },
    ]);
    const [turn] = prepared.turns as unknown as [{ calls: [{ input: object }] }];
    expect(turn.calls[0].input).not.toBe(input);
    expect(prepared.transcript.turns[0]).not.toBe(transcript.turns[0]);
  });
});
