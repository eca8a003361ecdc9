import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { withOriginalIds, withoutForeignState } from "@toolbatch/contract";
import {
  ANTHROPIC_CALL_IDS,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptTurn,
  type VendorState,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropicTranscript } from "../src/index.js";
import { renderedProblems } from "./transcript-support.js";

/**
 * Random transcripts, as any vendor's reader could hand them over: ids Anthropic rejects, ids
 * repeated within and across turns, very long ids, errors, empty outputs, Anthropic thinking and
 * other vendors' state, a last turn still waiting for its results.
 */
const callId = fc.oneof(
  fc.stringMatching(/^toolu_[a-zA-Z0-9]{4,24}$/),
  fc.constantFrom(
    "call_0",
    "call_1",
    "functions.get_weather:0",
    "fc_1|call_1",
    "call 1",
    "",
    `call_${"x".repeat(300)}`,
  ),
  fc.string({ maxLength: 50 }),
);
// Anthropic rejects empty and blank text; such text is left out, with a warning (tested apart).
const someText = fc.string({ maxLength: 40 }).filter((text) => text.trim() !== "");
const foreign: VendorState = { vendor: "openai-responses", kind: "reasoning", value: { id: "rs" } };

const callPlan = fc.record({
  id: callId,
  name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/),
  input: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  }),
  signed: fc.boolean(),
  isError: fc.boolean(),
  output: fc.oneof(fc.constant(""), fc.string({ maxLength: 40 })),
});

const exchange = fc.record({
  user: fc.option(someText, { nil: undefined }),
  text: fc.oneof(fc.constant(""), someText),
  calls: fc.array(callPlan, { maxLength: 4 }),
  thinking: fc.option(fc.record({ thinking: fc.string(), signature: fc.base64String() }), {
    nil: undefined,
  }),
  foreign: fc.boolean(),
});

const scenario = fc.record({
  system: fc.option(someText, { nil: undefined }),
  exchanges: fc.array(exchange, { minLength: 1, maxLength: 5 }),
  pending: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer Plan> ? Plan : never;

function transcriptOf({ system, exchanges, pending }: Scenario): Transcript {
  const turns: TranscriptTurn[] = [];
  exchanges.forEach((plan, index) => {
    const previous = turns[turns.length - 1];
    // Anthropic merges consecutive assistant messages into one turn, so one without calls is
    // followed by a user turn (the merge is tested apart).
    const needsUser = !previous || (previous.role === "assistant" && previous.calls.length === 0);
    const user = plan.user ?? (needsUser ? "go on" : undefined);
    if (user !== undefined) turns.push({ role: "user", text: user });
    const calls = plan.calls.map(
      (call): TranscriptCall => ({
        id: call.id,
        name: call.name,
        input: call.input,
        ...(call.signed
          ? { state: { vendor: "gemini", kind: "thought-signature", value: "c2ln" } }
          : {}),
      }),
    );
    const state: VendorState[] = [
      ...(plan.thinking
        ? [{ vendor: "anthropic", kind: "thinking", value: { type: "thinking", ...plan.thinking } }]
        : []),
      ...(plan.foreign ? [foreign] : []),
    ];
    const isPending = pending && index === exchanges.length - 1 && calls.length > 0;
    const turn: TranscriptAssistantTurn = {
      role: "assistant",
      // A turn must keep something to send once other vendors' state is gone.
      text: plan.text === "" && calls.length === 0 && !plan.thinking ? "ok" : plan.text,
      calls,
      ...(isPending
        ? {}
        : {
            results: plan.calls.map((call, position) => ({
              callId: (calls[position] as TranscriptCall).id,
              name: call.name,
              isError: call.isError,
              output: call.output,
            })),
          }),
      ...(state.length > 0 ? { state } : {}),
    };
    turns.push(turn);
  });
  return system === undefined ? { turns } : { system, turns };
}

/** Each assistant message's tool_use ids, and the tool_result ids of the message after it. */
function pairs(messages: readonly MessageParam[]): { uses: string[]; answers: string[] }[] {
  const blocks = (message: MessageParam | undefined) =>
    typeof message?.content === "object" ? message.content : [];
  return messages.flatMap((message, index) => {
    if (message.role !== "assistant") return [];
    const uses = blocks(message).flatMap((block) => (block.type === "tool_use" ? [block.id] : []));
    const answers = blocks(messages[index + 1]).flatMap((block) =>
      block.type === "tool_result" ? [block.tool_use_id] : [],
    );
    return [{ uses, answers }];
  });
}

describe("anthropicTranscript on random transcripts", () => {
  const codec = anthropicTranscript();

  it("renders valid, unique, paired ids and a history Anthropic accepts, and reads it back", () => {
    fc.assert(
      fc.property(scenario, (plan) => {
        const transcript = transcriptOf(plan);
        const rendered = codec.render(transcript);
        expect(renderedProblems(rendered)).toEqual([]);
        const found = pairs(rendered.messages);
        const ids = found.flatMap((pair) => pair.uses);
        expect(ids.every((id) => ANTHROPIC_CALL_IDS.accepts(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        found.forEach((pair, index) => {
          if (index < found.length - 1 || !plan.pending) expect(pair.answers).toEqual(pair.uses);
        });
        expect([...rendered.idMap.keys()].every((id) => ids.includes(id))).toBe(true);
        expect(rendered.system).toBe(plan.system);
        const back = codec.read(rendered.messages);
        expect(back.warnings).toEqual([]);
        // What Anthropic keeps: no other vendor's state, no system in the messages. Inputs come
        // back as plain JSON objects, whatever prototype the generated ones had.
        const { system: _system, ...withoutSystem } = transcript;
        const kept = structuredClone(withoutForeignState(withoutSystem, "anthropic"));
        expect(withOriginalIds(back.transcript, rendered.idMap)).toStrictEqual(kept);
        expect(codec.render(transcript)).toStrictEqual(rendered);
        expect(codec.render(structuredClone(transcript))).toStrictEqual(rendered);
      }),
    );
  });
});
