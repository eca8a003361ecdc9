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

/** The transcript without `idSynthesized` flags: whether an id was sent is compared on its own. */
export function withoutSynthesizedFlags(transcript: Transcript): Transcript {
  return {
    ...transcript,
    turns: transcript.turns.map(
      (turn): TranscriptTurn =>
        turn.role === "user"
          ? turn
          : { ...turn, calls: turn.calls.map(({ idSynthesized: _flag, ...call }) => call) },
    ),
  };
}

/** The warning codes of a reading or rendering. */
export const codes = (result: { readonly warnings: readonly { code: string }[] }): string[] =>
  result.warnings.map((warning) => warning.code);
