import type { Recording, WireProfile } from "@toolbatch/contract";
import type {
  Transcript,
  TranscriptAssistantTurn,
  TranscriptCall,
  TranscriptCodec,
  TranscriptTurn,
  VendorState,
} from "@toolbatch/core";
import { expect, it } from "vitest";

/** `value`, frozen all the way down, so a codec that writes to its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A deep copy, for frozen fixtures a test wants to compare against later. */
export const copy = <T>(value: T): T => structuredClone(value);

/** A transcript read back from a rendered history, its ids mapped back through `idMap`. */
export function withOriginalIds(
  transcript: Transcript,
  idMap: ReadonlyMap<string, string>,
): Transcript {
  const original = (id: string) => idMap.get(id) ?? id;
  return {
    ...transcript,
    turns: transcript.turns.map((turn): TranscriptTurn => {
      if (turn.role === "user") return turn;
      const { results, ...rest } = turn;
      return {
        ...rest,
        calls: turn.calls.map((call) => ({ ...call, id: original(call.id) })),
        ...(results
          ? { results: results.map((result) => ({ ...result, callId: original(result.callId) })) }
          : {}),
      };
    }),
  };
}

/** The transcript a codec of `vendor` can give back: every other vendor's state removed. */
export function keepingStateOf(transcript: Transcript, vendor: string): Transcript {
  const keep = (state: readonly VendorState[] | undefined) =>
    state?.filter((item) => item.vendor === vendor) ?? [];
  return {
    ...transcript,
    turns: transcript.turns.map((turn): TranscriptTurn => {
      if (turn.role === "user") return turn;
      const { state, ...rest } = turn;
      const kept = keep(state);
      return {
        ...rest,
        calls: turn.calls.map((call): TranscriptCall => {
          const { state: callState, ...bare } = call;
          return callState?.vendor === vendor ? call : bare;
        }),
        ...(kept.length > 0 ? { state: kept } : {}),
      };
    }),
  };
}

/** Every call id of a transcript, in order. */
export const callIdsOf = (transcript: Transcript): string[] =>
  transcript.turns.flatMap((turn) =>
    turn.role === "assistant" ? turn.calls.map((c) => c.id) : [],
  );

/** True when every result of every turn carries its call's id, in call order. */
export const resultsMatchCalls = (transcript: Transcript): boolean =>
  transcript.turns.every(
    (turn) =>
      turn.role === "user" ||
      (turn.results ?? []).every((result, index) => result.callId === turn.calls[index]?.id),
  );

/**
 * What every recorded conversation (instructions, a user message, one assistant turn with parallel
 * calls, their results) must give, for one codec: the recording's calls with their results in call
 * order and no warning; then a rendered history the spec accepts, that reads back the same.
 */
export function itReadsRecordedConversation<Request, Message>(
  codec: TranscriptCodec<Message>,
  wire: Pick<WireProfile<unknown, unknown, Request, Message>, "history" | "readResults">,
  recording: Recording,
  validate: (messages: readonly Message[]) => string[],
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

  it("renders a history the spec accepts and that reads back the same", () => {
    const rendered = codec.render(transcript);
    expect(validate(rendered.messages)).toEqual([]);
    expect(rendered.idMap.size).toBe(0);
    expect(rendered.warnings).toEqual([]);
    expect(codec.read(rendered.messages).transcript).toStrictEqual(transcript);
  });
}
