import type { Transcript, TranscriptAssistantTurn, TranscriptTurn } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allCalls, conversationFacts } from "./support/transcript-facts.js";
import { VENDOR_PROFILES, type VendorProfile } from "./support/vendor-profiles.js";

// Ids as vendors write them, and as they break other vendors' rules: OpenAI `call_…`, Anthropic
// `toolu_…`, Kimi `functions.name:0`, 64-character ids, spaces, repeats across turns.
const callId = fc.oneof(
  fc.constantFrom("call_0", "call_1", "toolu_01A", "functions.lookup:0", "abc123XYZ"),
  fc.stringMatching(/^call_[A-Za-z0-9]{24}$/),
  fc.stringMatching(/^[A-Za-z0-9_.:\- ]{1,64}$/),
);
const toolName = fc.constantFrom("lookup", "get_weather", "add", "search");
// Anthropic rejects text blocks that are empty or only whitespace: texts are either "" or say something.
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
 * A conversation as agents have them: user, then assistant turns with answered batches, each
 * step ending in a text answer; the last step may stop at an unanswered batch.
 */
const transcript: fc.Arbitrary<Transcript> = fc
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

const vendorName = fc.constantFrom(...VENDOR_PROFILES.map((profile) => profile.name));
const profileNamed = (name: string) =>
  VENDOR_PROFILES.find((profile) => profile.name === name) as VendorProfile;

/** Renders with a vendor and reads back what it rendered, the system instructions re-attached. */
function hop(value: Transcript, profile: VendorProfile): Transcript {
  const rendered = profile.codec.render(value);
  for (const call of allCalls(profile.codec.read(rendered.messages).transcript)) {
    if (!call.idSynthesized) expect(profile.callIds.accepts(call.id)).toBe(true);
  }
  const back = profile.codec.read(rendered.messages).transcript;
  return rendered.system === undefined ? back : { ...back, system: rendered.system };
}

describe("a conversation survives any chain of vendors", () => {
  it("keeps texts, calls, inputs, results and error flags through 1 to 4 vendors", () => {
    fc.assert(
      fc.property(
        transcript,
        fc.array(vendorName, { minLength: 1, maxLength: 4 }),
        (start, chain) => {
          const end = chain.map(profileNamed).reduce(hop, start);
          expect(conversationFacts(end)).toStrictEqual(conversationFacts(start));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("renders the same transcript to the same history every time, for every vendor", () => {
    fc.assert(
      fc.property(transcript, vendorName, (value, name) => {
        const profile = profileNamed(name);
        expect(profile.codec.render(value)).toStrictEqual(
          profile.codec.render(structuredClone(value)),
        );
      }),
    );
  });
});
