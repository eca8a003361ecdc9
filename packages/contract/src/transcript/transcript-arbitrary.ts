import type { Transcript, TranscriptAssistantTurn, TranscriptTurn } from "@toolbatch/core";
import fc from "fast-check";

// Ids as vendors write them, and as they break other vendors' rules: OpenAI `call_…`, Anthropic
// `toolu_…`, Kimi `functions.name:0`, 64-character ids, spaces, repeats across turns.
const callId = fc.oneof(
  fc.constantFrom("call_0", "call_1", "toolu_01A", "functions.lookup:0", "abc123XYZ"),
  fc.stringMatching(/^call_[A-Za-z0-9]{24}$/),
  fc.stringMatching(/^[A-Za-z0-9_.:\- ]{1,64}$/),
);
const toolName = fc.constantFrom("lookup", "get_weather", "add", "search");
// Anthropic rejects text blocks that are empty or only whitespace: texts are "" or say something.
const words = fc.stringMatching(/^[A-Za-z0-9 ,.?!\n]{0,40}$/).map((text) => `${text}x`);
const assistantText = fc.oneof(fc.constant(""), words);
const input = fc.dictionary(
  fc.stringMatching(/^[a-z_]{1,8}$/),
  fc.oneof(fc.string(), fc.integer(), fc.boolean()),
  { maxKeys: 3, noNullPrototype: true },
);
// An ok output never starts like an error text: vendors without an error flag would read it as one.
const output = fc.oneof(
  words.map((text) => `ok ${text}`),
  fc.constant(""),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.string(), fc.integer()), {
    maxKeys: 3,
    noNullPrototype: true,
  }),
);

const assistantTurn = (pending: boolean) =>
  fc
    .record({
      text: assistantText,
      calls: fc.array(fc.record({ id: callId, name: toolName, input }), {
        minLength: 1,
        maxLength: 4,
      }),
      errors: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      outputs: fc.array(output, { minLength: 4, maxLength: 4 }),
    })
    .map(
      ({ text, calls, errors, outputs }): TranscriptAssistantTurn => ({
        role: "assistant",
        text,
        calls,
        ...(pending
          ? {}
          : {
              results: calls.map((call, index) => ({
                callId: call.id,
                name: call.name,
                isError: errors[index] as boolean,
                output: errors[index] ? `failed ${index}` : outputs[index],
              })),
            }),
      }),
    );

/**
 * Random conversations as agents have them: a question, assistant turns with answered batches
 * (ids that break one vendor's rules or another's, repeated ids, errors), a text answer, again;
 * the last step may stop at an unanswered batch. No vendor state: each vendor's own is its
 * codec's to test.
 */
export function transcriptArbitrary(): fc.Arbitrary<Transcript> {
  return fc
    .record({
      system: fc.option(words, { nil: undefined }),
      steps: fc.array(
        fc.record({
          question: words,
          batches: fc.array(assistantTurn(false), { maxLength: 2 }),
          answer: words,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      pending: fc.option(assistantTurn(true), { nil: undefined }),
    })
    .map(({ system, steps, pending }) => {
      const turns: TranscriptTurn[] = steps.flatMap((step) => [
        { role: "user" as const, text: step.question },
        ...step.batches,
        { role: "assistant" as const, text: step.answer, calls: [] },
      ]);
      if (pending) turns.push({ role: "user", text: "one more" }, pending);
      return system === undefined ? { turns } : { system, turns };
    });
}
