import fc from "fast-check";
import {
  buildHostileRecipe,
  list,
  record,
  text,
  value,
  word,
} from "./hostile-history-arbitrary.js";

/** A malformed transcript, as a plain recipe (what fast-check prints) and the transcript it describes. */
export interface HostileTranscript {
  /** What the transcript is made of; `{ "#hostile": kind, ... }` marks a value built specially. */
  readonly recipe: unknown;
  /** A new copy of the transcript the recipe describes. */
  transcript(): unknown;
}

// Every codec's own vendor and kinds, so state reaches the renderer that keeps it.
const VENDORS = ["openai-chat", "openai-responses", "anthropic", "gemini", "other-vendor"];
const KINDS = [
  "reasoning_content",
  "custom",
  "reasoning",
  "thinking",
  "redacted_thinking",
  "tool-use-fields",
  "thought",
  "thought-signature",
  "signature",
];

const state = record({
  vendor: fc.constantFrom(...VENDORS),
  kind: fc.constantFrom(...KINDS),
  value: fc.oneof(text, value, fc.dictionary(word, text, { maxKeys: 3 })),
});
const call = record({
  id: word,
  name: word,
  idSynthesized: fc.boolean(),
  input: fc.oneof(fc.dictionary(word, text, { maxKeys: 2 }), value),
  state,
});
const result = record({
  callId: word,
  name: word,
  isError: fc.boolean(),
  output: fc.oneof(text, value),
});
const userTurn = record({ role: fc.constant("user"), text });
const assistantTurn = record({
  role: fc.oneof(fc.constant("assistant"), word),
  text,
  calls: list(call),
  results: list(result),
  state: list(state),
});

/**
 * Malformed transcripts, as a transcript loaded from storage or built by a careless caller may
 * be: the `Transcript` shape (of @toolbatch/core) with any field replaced by anything (texts, ids and names that
 * are not strings, `calls` that is a string, state without a vendor, a role of `__proto__`),
 * objects without a prototype, proxies whose traps throw, revoked proxies, throwing getters,
 * cycles, deep nesting, BigInts, and transcripts that are not objects at all. A codec's `render`
 * must refuse each with `InvalidTranscriptError`, or render it as a history it reads back.
 */
export function hostileTranscriptArbitrary(): fc.Arbitrary<HostileTranscript> {
  const turns = fc.array(fc.oneof(userTurn, assistantTurn, value), { maxLength: 4 });
  const recipe = fc.oneof(
    { weight: 8, arbitrary: record({ system: text, turns }) },
    { weight: 1, arbitrary: value },
  );
  return recipe.map((made) => ({
    recipe: made,
    transcript: () => buildHostileRecipe(made),
    [fc.toStringMethod]: () => fc.stringify(made),
  }));
}
