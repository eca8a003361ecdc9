import {
  type RenderedHistory,
  renderOutputText,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptCodec,
  type TranscriptTurn,
  type TranscriptWarning,
  type VendorState,
} from "@toolbatch/core";

/** The assistant turns of a transcript, in order. */
export function assistantTurnsOf(transcript: Transcript): TranscriptAssistantTurn[] {
  return transcript.turns.filter(
    (turn): turn is TranscriptAssistantTurn => turn.role === "assistant",
  );
}

/** Every call of a transcript, in order. */
export function callsOf(transcript: Transcript): TranscriptCall[] {
  return assistantTurnsOf(transcript).flatMap((turn) => [...turn.calls]);
}

/** Every piece of vendor state of a transcript (turn state, then call state, turn by turn). */
export function stateOf(transcript: Transcript): VendorState[] {
  return assistantTurnsOf(transcript).flatMap((turn) => [
    ...(turn.state ?? []),
    ...turn.calls.flatMap((call) => (call.state ? [call.state] : [])),
  ]);
}

/**
 * A transcript read back from a rendered history with its call ids put back through the render's
 * `idMap` (rendered id → transcript id), to compare with the transcript that was rendered.
 */
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

/** A transcript rendered by a codec and read back by the same codec: see {@link renderAndReadBack}. */
export interface RoundTrip<Message> {
  /** What the codec rendered: the history, the system text it keeps outside it, `idMap`, warnings. */
  readonly rendered: RenderedHistory<Message>;
  /** The transcript read back from `rendered.messages`, with the ids as sent and the system text put back. */
  readonly back: Transcript;
  /** The warnings of reading `rendered.messages` back. */
  readonly warnings: readonly TranscriptWarning[];
  /** `back` with its call ids put back through `rendered.idMap`: compare it with the rendered transcript. */
  readonly restored: Transcript;
}

/**
 * Renders a transcript with a codec and reads the history back with it. The system text a vendor
 * takes outside its history (`RenderedHistory.system`) is put back on what was read, as the
 * request would carry it; checking the rendered request is left to the caller.
 */
export function renderAndReadBack<Message>(
  codec: TranscriptCodec<Message>,
  transcript: Transcript,
): RoundTrip<Message> {
  const rendered = codec.render(transcript);
  const { transcript: read, warnings } = codec.read(rendered.messages);
  const back = rendered.system === undefined ? read : { ...read, system: rendered.system };
  return { rendered, back, warnings, restored: withOriginalIds(back, rendered.idMap) };
}

/** The transcript as a codec of `vendor` renders it: every other vendor's state removed. */
export function withoutForeignState(transcript: Transcript, vendor: string): Transcript {
  return {
    ...transcript,
    turns: transcript.turns.map((turn): TranscriptTurn => {
      if (turn.role === "user") return turn;
      const { state, ...rest } = turn;
      const kept = state?.filter((item) => item.vendor === vendor) ?? [];
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

/**
 * What must survive any vendor: the system text, every user and assistant text, each call's name
 * and input, each result's error flag and text, in order. Ids, vendor state and how a vendor
 * spells an error (`Error: ` on vendors without a flag) are left out; test those on their own.
 * User turns without text are left out too: vendors that reject empty content drop them.
 */
export function transcriptFacts(transcript: Transcript): unknown {
  return {
    system: transcript.system,
    turns: transcript.turns
      .filter((turn) => turn.role === "assistant" || turn.text.trim() !== "")
      .map((turn) =>
        turn.role === "user"
          ? { role: "user", text: turn.text }
          : {
              role: "assistant",
              text: turn.text,
              calls: turn.calls.map((call) => ({ name: call.name, input: call.input })),
              // A turn without calls waits for nothing: `[]` and absent say the same.
              results: (turn.calls.length === 0 ? [] : turn.results)?.map((result) => ({
                isError: result.isError,
                text: renderOutputText(result.output).replace(/^Error: /, ""),
              })),
            },
      ),
  };
}

/** Freezes a value and everything in it, so code that writes to its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
