import type { Content } from "@google/genai";
import {
  assembleStream,
  type GeminiRequest,
  geminiWire,
  loadRecordings,
  type Recording,
} from "@toolbatch/contract";
import {
  type RenderedHistory,
  type ToolCallBatch,
  type ToolResult,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptTurn,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import { googleGenAI } from "../src/index.js";

/** Every Gemini recording. */
export const geminiRecordings = loadRecordings("gemini");

/** The recordings whose follow-up request carries a whole multi-call conversation. */
export const conversations = geminiRecordings.filter(
  (recording) => recording.followUpRequest !== undefined,
);

/** A recorded request to carry rendered histories (gm1's: system instruction, tools, config). */
export const baseRequest = conversations[0]?.request as GeminiRequest;

/** The contents of a recording's follow-up request: the question, the model's batch, the results. */
export const recordedHistory = (recording: Recording): Content[] =>
  geminiWire.history(recording.followUpRequest as GeminiRequest);

/** What the Gemini schema finds wrong in the base request carrying these contents. */
export function problems(rendered: RenderedHistory<Content>): string[] {
  const fields: Partial<GeminiRequest> =
    rendered.system === undefined
      ? {}
      : { systemInstruction: { parts: [{ text: rendered.system }] } };
  return geminiWire.validateRequest(geminiWire.withHistory(baseRequest, rendered.messages, fields));
}

/** The batch googleGenAI() makes of a recording's first response, whole or streamed. */
export function recordedBatch(recording: Recording): ToolCallBatch<Content> {
  const adapter = googleGenAI();
  if (recording.kind === "json") return adapter.toBatch(geminiWire.response(recording));
  const events = geminiWire.parseStream(recording.stream as NonNullable<Recording["stream"]>);
  return assembleStream(adapter, events).batch as ToolCallBatch<Content>;
}

/** Results for a batch: every call answered, odd positions failed. */
export const mixedResults = (batch: ToolCallBatch<Content>): ToolResult[] =>
  batch.calls.map((call) =>
    call.index % 2 === 0
      ? toolSuccess(call, { answer: call.index })
      : toolFailure(call, "execution_failed", `call ${call.index} failed`),
  );

/**
 * A history with every `functionResponse.response` that has neither `output` nor `error` wrapped
 * as `{ output: response }`: how the codec writes the same result (Gemini reads both the same,
 * FunctionResponse doc: "whole "response" is treated as function output").
 */
export function withWrappedResponses(history: readonly Content[]): Content[] {
  return history.map((content) => ({
    ...content,
    parts: (content.parts ?? []).map((part) => {
      const answer = part.functionResponse;
      const response = answer?.response ?? {};
      if (!answer || "output" in response || "error" in response) return part;
      return { ...part, functionResponse: { ...answer, response: { output: response } } };
    }),
  }));
}

/** The transcript with every call id put back through `idMap` (rendered id → transcript id). */
export function unmapIds(transcript: Transcript, idMap: ReadonlyMap<string, string>): Transcript {
  const back = (id: string) => idMap.get(id) ?? id;
  return mapCalls(transcript, (call) => ({ ...call, id: back(call.id) }), back);
}

/** The transcript without `idSynthesized` flags: whether an id was sent is compared on its own. */
export function withoutSynthesizedFlags(transcript: Transcript): Transcript {
  return mapCalls(transcript, ({ idSynthesized: _flag, ...call }) => call);
}

function mapCalls(
  transcript: Transcript,
  call: (call: TranscriptCall) => TranscriptCall,
  callId: (id: string) => string = (id) => id,
): Transcript {
  return {
    ...transcript,
    turns: transcript.turns.map((turn): TranscriptTurn => {
      if (turn.role === "user") return turn;
      return {
        ...turn,
        calls: turn.calls.map(call),
        ...(turn.results
          ? {
              results: turn.results.map((result) => ({
                ...result,
                callId: callId(result.callId),
              })),
            }
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

/** Every call of a transcript, in order. */
export const allCalls = (transcript: Transcript): TranscriptCall[] =>
  assistantTurns(transcript).flatMap((turn) => [...turn.calls]);

/** Freezes a value and everything in it, so any write to an input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The warning codes of a reading or rendering. */
export const codes = (result: { readonly warnings: readonly { code: string }[] }): string[] =>
  result.warnings.map((warning) => warning.code);
