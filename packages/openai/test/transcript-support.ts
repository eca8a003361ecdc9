import { callsOf, deepFreeze, type Recording, type WireProfile } from "@toolbatch/contract";
import type { Transcript, TranscriptAssistantTurn, TranscriptCodec } from "@toolbatch/core";
import { expect, it } from "vitest";

/** A deep copy, for frozen fixtures a test wants to compare against later. */
export const copy = <T>(value: T): T => structuredClone(value);

/** Every call id of a transcript, in order. */
export const callIdsOf = (transcript: Transcript): string[] =>
  callsOf(transcript).map((call) => call.id);

/** True when every result of every turn carries its call's id, in call order. */
export const resultsMatchCalls = (transcript: Transcript): boolean =>
  transcript.turns.every(
    (turn) =>
      turn.role === "user" ||
      (turn.results ?? []).every((result, index) => result.callId === turn.calls[index]?.id),
  );

/**
 * What every recorded conversation (instructions, a user message, one assistant turn with parallel
 * calls, their results) must give, for one codec, beyond the transcript contract: the recording's
 * calls with their ids and results in call order, read and rendered without a warning or a new id.
 */
export function itReadsRecordedConversation<Request, Message>(
  codec: TranscriptCodec<Message>,
  wire: Pick<WireProfile<unknown, unknown, Request, Message>, "history" | "readResults">,
  recording: Recording,
): void {
  const history = wire.history(recording.followUpRequest as Request);
  const { transcript, warnings } = codec.read(deepFreeze(copy(history)));

  it("reads the user's text, the recorded batch and its results", () => {
    expect(warnings).toEqual([]);
    expect(transcript.turns.map((turn) => turn.role)).toEqual(["user", "assistant"]);
    const turn = transcript.turns[1] as TranscriptAssistantTurn;
    expect(turn.text).toBe("");
    expect(turn.calls).toStrictEqual(
      recording.expected.calls.map(({ id, name, input }) => ({ id, name, input })),
    );
    const carriers = wire.readResults(history);
    expect(turn.results).toStrictEqual(
      turn.calls.map((call, index) => ({
        callId: call.id,
        name: call.name,
        isError: false,
        output: carriers[index]?.text,
      })),
    );
  });

  // That the render passes the spec and reads back the same is the contract's to check
  // (describeTranscriptContract); OpenAI's own ids need no re-mapping and nothing is dropped.
  it("renders it with the recorded ids and no warning", () => {
    const rendered = codec.render(transcript);
    expect(rendered.idMap.size).toBe(0);
    expect(rendered.warnings).toEqual([]);
  });
}
