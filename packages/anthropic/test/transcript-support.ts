import type { MessageCreateParams, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { anthropicWire, loadRecordings } from "@toolbatch/contract";
import type {
  RenderedHistory,
  Transcript,
  TranscriptAssistantTurn,
  TranscriptTurn,
} from "@toolbatch/core";

/** The recordings whose follow-up request carries a whole multi-call conversation. */
export const conversations = loadRecordings("anthropic").filter(
  (recording) => recording.followUpRequest !== undefined,
);

const base = conversations[0]?.request as MessageCreateParams | undefined;

/**
 * What the Anthropic schema finds wrong in a recorded request carrying this rendered history
 * (and its `system`) in place of its own, and what the API rejects though the schema lets it pass:
 * empty messages ("all messages must have non-empty content") and blank text ("text content
 * blocks must contain non-whitespace text").
 */
export function renderedProblems(rendered: RenderedHistory<MessageParam>): string[] {
  if (!base) throw new Error("no Anthropic recording with a request");
  const fields = rendered.system === undefined ? {} : { system: rendered.system };
  const empty = rendered.messages.flatMap((message, index) => {
    const texts =
      typeof message.content === "string"
        ? [message.content]
        : message.content.flatMap((block) => (block.type === "text" ? [block.text] : []));
    return [
      ...(message.content.length === 0 ? [`messages[${index}]: empty content`] : []),
      ...(texts.some((text) => text.trim() === "") ? [`messages[${index}]: blank text`] : []),
    ];
  });
  return [
    ...anthropicWire.validateRequest(anthropicWire.withHistory(base, rendered.messages, fields)),
    ...empty,
  ];
}

/** The transcript with every call id put back through `idMap` (rendered id → transcript id). */
export function unmapIds(transcript: Transcript, idMap: ReadonlyMap<string, string>): Transcript {
  const back = (id: string) => idMap.get(id) ?? id;
  return {
    ...transcript,
    turns: transcript.turns.map((turn): TranscriptTurn => {
      if (turn.role === "user") return turn;
      return {
        ...turn,
        calls: turn.calls.map((call) => ({ ...call, id: back(call.id) })),
        ...(turn.results
          ? { results: turn.results.map((result) => ({ ...result, callId: back(result.callId) })) }
          : {}),
      };
    }),
  };
}

/** The assistant turns of a transcript. */
export function assistantTurns(transcript: Transcript): TranscriptAssistantTurn[] {
  return transcript.turns.filter(
    (turn): turn is TranscriptAssistantTurn => turn.role === "assistant",
  );
}

/** Freezes a value and everything in it, so any write to an input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
