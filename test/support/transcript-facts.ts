import {
  renderOutputText,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type VendorState,
} from "@toolbatch/core";

/**
 * What must survive any vendor: texts, each call's name and input, each result's error flag and
 * text, in order. Ids, vendor state and how a vendor spells an error are compared separately.
 */
export function conversationFacts(transcript: Transcript): unknown {
  return {
    system: transcript.system,
    // A user turn with no text says nothing, and vendors that reject empty content drop it (with
    // a warning): the recorded gm6 conversation opens with one.
    turns: transcript.turns
      .filter((turn) => turn.role === "assistant" || turn.text.trim() !== "")
      .map((turn) =>
        turn.role === "user"
          ? { role: "user", text: turn.text }
          : {
              role: "assistant",
              text: turn.text,
              calls: turn.calls.map((call) => ({ name: call.name, input: call.input })),
              // A turn without calls has no results to wait for: `[]` and absent say the same.
              results: (turn.calls.length === 0 ? [] : turn.results)?.map((result) => ({
                isError: result.isError,
                // Vendors without an error flag prefix the text with `Error: `, the others do not.
                text: renderOutputText(result.output).replace(/^Error: /, ""),
              })),
            },
      ),
  };
}

/** The assistant turns of a transcript. */
export function assistantTurns(transcript: Transcript): TranscriptAssistantTurn[] {
  return transcript.turns.filter(
    (turn): turn is TranscriptAssistantTurn => turn.role === "assistant",
  );
}

/** Every call of a transcript, in order. */
export function allCalls(transcript: Transcript): TranscriptCall[] {
  return assistantTurns(transcript).flatMap((turn) => [...turn.calls]);
}

/** Every piece of vendor state of a transcript, turn state and call state, in order. */
export function allState(transcript: Transcript): VendorState[] {
  return assistantTurns(transcript).flatMap((turn) => [
    ...(turn.state ?? []),
    ...turn.calls.flatMap((call) => (call.state ? [call.state] : [])),
  ]);
}

/** Freezes a value and everything in it, so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
