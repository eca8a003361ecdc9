import {
  assistantTurnsOf,
  callsOf,
  deepFreeze,
  loadRecordings,
  type Recording,
  renderAndReadBack,
  stateOf,
  transcriptFacts,
  withoutForeignState,
} from "@toolbatch/contract";
import { defineTool, jsonSchema, type RenderedHistory, type Transcript } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { VENDOR_PROFILES, type VendorProfile } from "./support/vendor-profiles.js";

/** A recorded conversation: the follow-up request of a recording, whose history holds a parallel batch and its results. */
interface Conversation {
  readonly source: VendorProfile;
  readonly recording: Recording;
  readonly request: unknown;
  readonly history: readonly unknown[];
}

function conversations(source: VendorProfile): Conversation[] {
  return loadRecordings(source.recordings).flatMap((recording) => {
    if (recording.followUpRequest === undefined) return [];
    const request = deepFreeze(structuredClone(recording.followUpRequest));
    return [{ source, recording, request, history: source.wire.history(request) }];
  });
}

/** A transcript of the conversation, with the system instructions the source keeps outside its history. */
function readConversation(conversation: Conversation): {
  transcript: Transcript;
  codes: string[];
} {
  const { transcript, warnings } = conversation.source.codec.read(conversation.history);
  const system = conversation.source.systemOf(conversation.request);
  return {
    transcript: system === undefined ? transcript : { ...transcript, system },
    codes: warnings.map((warning) => warning.code),
  };
}

/** The tools the conversation used, declared for the target (vendors want the tools a history calls). */
function toolsOf(transcript: Transcript) {
  const names = [...new Set(callsOf(transcript).map((call) => call.name))];
  return names.map((name) =>
    defineTool({
      name,
      description: `The ${name} tool.`,
      input: jsonSchema({ type: "object", additionalProperties: true }),
      execute: () => "",
    }),
  );
}

/** The request the target would send next: one of its recorded requests with the rendered history, tools and system. */
function targetRequest(
  target: VendorProfile,
  transcript: Transcript,
  rendered: RenderedHistory<unknown>,
) {
  const base = loadRecordings(target.recordings).find((recording) => recording.request)?.request;
  const withHistory = target.wire.withHistory(base, rendered.messages);
  const withTools = target.wire.withTools(withHistory, target.tools(toolsOf(transcript)));
  return target.withSystem(withTools, rendered.system);
}

const pairs = VENDOR_PROFILES.flatMap((source) =>
  conversations(source).flatMap((conversation) =>
    VENDOR_PROFILES.map((target) => ({
      title: `${source.name} ${conversation.recording.key} → ${target.name}`,
      conversation,
      target,
    })),
  ),
);

describe("a recorded multi-call conversation moves from every vendor to every vendor", () => {
  it("has conversations from every vendor", () => {
    for (const profile of VENDOR_PROFILES) expect(conversations(profile).length).toBeGreaterThan(0);
  });

  it.each(pairs)("$title", ({ conversation, target }) => {
    const { recording } = conversation;
    const { transcript, codes } = readConversation(conversation);
    expect(codes).not.toContain("result-missing");
    expect(codes).not.toContain("result-orphaned");

    // The source read the recorded batch: the recorded calls, every one answered.
    const batch = assistantTurnsOf(transcript).find((turn) => turn.calls.length > 1);
    expect(batch?.calls.map((call) => call.name)).toEqual(
      recording.expected.calls.map((call) => call.name),
    );
    expect(batch?.calls.map((call) => call.input)).toEqual(
      recording.expected.calls.map((call) => call.input),
    );
    expect(batch?.results).toHaveLength(batch?.calls.length ?? -1);

    const { rendered, back, warnings, restored } = renderAndReadBack(target.codec, transcript);

    // The target's schema accepts the next request.
    expect(target.wire.validateRequest(targetRequest(target, transcript, rendered))).toEqual([]);

    // Reading the rendered history back gives the same conversation.
    expect(transcriptFacts(back)).toStrictEqual(transcriptFacts(transcript));
    expect(warnings.map((warning) => warning.code)).not.toContain("result-orphaned");

    // Ids: valid on the target, unique, and mapped back to the source's through idMap.
    const renderedIds = callsOf(back)
      .filter((call) => !call.idSynthesized)
      .map((call) => call.id);
    for (const id of renderedIds) expect(target.callIds.accepts(id)).toBe(true);
    expect(new Set(renderedIds).size).toBe(renderedIds.length);
    expect(callsOf(restored).map((call) => call.id)).toEqual(
      callsOf(transcript).map((call) => call.id),
    );

    // Vendor state crosses only to its own vendor; anything dropped is said.
    const state = stateOf(transcript);
    if (target.codec.vendor === conversation.source.codec.vendor) {
      expect(stateOf(back)).toStrictEqual(state);
    } else {
      expect(withoutForeignState(back, target.codec.vendor)).toStrictEqual(back);
      if (state.length > 0) {
        expect(rendered.warnings.map((warning) => warning.code)).toContain("state-dropped");
      }
    }
  });

  it.each(pairs)("is pure and deterministic: $title", ({ conversation, target }) => {
    const { transcript } = readConversation(conversation);
    const frozen = deepFreeze(structuredClone(transcript));
    const first = target.codec.render(frozen);
    const second = target.codec.render(frozen);
    expect(second).toStrictEqual(first);
    expect(JSON.stringify(second.messages)).toBe(JSON.stringify(first.messages));
    expect(conversation.source.codec.read(conversation.history)).toStrictEqual(
      conversation.source.codec.read(conversation.history),
    );
  });
});
