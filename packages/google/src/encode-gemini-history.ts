import {
  GEMINI_CALL_IDS,
  isJsonObject,
  prepareTranscript,
  type RenderedHistory,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCall,
  type TranscriptWarning,
  type VendorState,
} from "@toolbatch/core";
import { decodeGeminiHistory } from "./decode-gemini-history.js";
import type { WireContent, WireFunctionCall, WirePart } from "./decode-gemini-part.js";
import type { GeminiResultsRole } from "./encode-gemini-results.js";
import {
  asCallState,
  asPlacedPart,
  GEMINI_VENDOR,
  type GeminiCallState,
  type GeminiPlacedPart,
  THOUGHT_KIND,
} from "./gemini-transcript-state.js";

/** How to render for one of the two SDKs. */
export interface GeminiHistoryTarget {
  /** The role of the content carrying results: `user`, or `function` for the legacy SDK. */
  readonly resultsRole: GeminiResultsRole;
  /** The signature put on calls no Gemini model signed, or `false` for none. */
  readonly signaturePlaceholder: string | false;
}

/** One model turn's Gemini state, sorted by what it renders as. */
interface TurnParts {
  readonly thoughts: WirePart[];
  readonly placed: GeminiPlacedPart[];
}

const SOURCE = "toolbatch/google";

/**
 * Renders a transcript as Gemini `contents`: after `prepareTranscript`, a user turn is one `user`
 * content with one text part; an assistant turn is one `model` content (Gemini thought parts, the
 * text, the `functionCall` parts, and Gemini's other parts back where they sat), then, once
 * answered, ONE content with one `functionResponse` per call in call order (Gemini answers 400
 * when the counts differ). System instructions are returned apart, for `systemInstruction`.
 *
 * Ids: a call's id is sent only when Gemini itself sent it; other calls pair with their results
 * by order and name. `idMap` lists, for every call whose id differs when the rendered history is
 * read back, the id reading gives it → the transcript's id.
 */
export function encodeGeminiHistory(
  transcript: Transcript,
  target: GeminiHistoryTarget,
): RenderedHistory<WireContent> {
  const prepared = prepareTranscript(transcript, {
    vendor: GEMINI_VENDOR,
    callIds: GEMINI_CALL_IDS,
    source: SOURCE,
    objectInputs: true,
  });
  const warnings = prepared.warnings.filter((warning) => warning.code !== "id-remapped");
  const messages: WireContent[] = [];
  let placeholders = 0;
  prepared.turns.forEach((turn, index) => {
    if (turn.role === "user") {
      messages.push({ role: "user", parts: [{ text: turn.text }] });
      return;
    }
    const calls = turn.calls.map((call) => encodeCall(call, warnings, index));
    if (calls.length > 0 && target.signaturePlaceholder !== false && !isSigned(turn, calls)) {
      calls[0] = { ...(calls[0] as WirePart), thoughtSignature: target.signaturePlaceholder };
      placeholders++;
    }
    const parts = layOut(turn, calls, sortTurnState(turn.state, warnings, index));
    messages.push({ role: "model", parts: parts.length > 0 ? parts : [{ text: "" }] });
    if (turn.results && calls.length > 0) {
      messages.push({ role: target.resultsRole, parts: encodeResults(turn, calls) });
    }
  });
  if (placeholders > 0 && target.signaturePlaceholder !== false) {
    warnings.push({
      code: "signature-placeholder",
      message: `${placeholders} model turn(s) with calls carry no Gemini thought signature (another vendor or an older model wrote them); the first functionCall of each carries "${target.signaturePlaceholder}", the signature Google documents for history the model did not produce, so Gemini 3 does not answer 400.`,
    });
  }
  const idMap = mapReadBackIds(prepared.transcript, messages, warnings);
  return {
    messages,
    ...(prepared.system !== undefined ? { system: prepared.system } : {}),
    idMap,
    warnings,
  };
}

/** A `functionCall` part: id only when Gemini sent it, args always an object, the part's own fields back. */
function encodeCall(call: TranscriptCall, warnings: TranscriptWarning[], turn: number): WirePart {
  const state = call.state && callStateOf(call.state, warnings, turn);
  // An object: prepareTranscript wrapped any other input (objectInputs).
  const args = call.input as Record<string, unknown>;
  return {
    ...state?.part,
    functionCall: {
      ...(state?.hasId ? { id: call.id } : {}),
      name: call.name,
      args,
      ...state?.call,
    },
  };
}

/** True when the turn holds a Gemini thought signature anywhere: it is Gemini's own, signed as Gemini signed it. */
function isSigned(turn: TranscriptAssistantTurn, calls: readonly WirePart[]): boolean {
  if (calls.some((part) => part.thoughtSignature)) return true;
  return (turn.state ?? []).some((item) => {
    const value = item.kind === THOUGHT_KIND ? item.value : asPlacedPart(item.value)?.part;
    return isJsonObject(value) && typeof value.thoughtSignature === "string";
  });
}

/**
 * The parts of a model turn: thought parts first (Gemini writes them before anything else), then
 * the text and calls with each placed part back after as many calls and characters of text as it
 * followed. Plain text goes before the calls that follow it in a turn; Gemini writes text before
 * its calls, so only a turn that had text after a call comes back in another order.
 */
function layOut(
  turn: TranscriptAssistantTurn,
  calls: readonly WirePart[],
  state: TurnParts,
): WirePart[] {
  const parts = [...state.thoughts];
  const text = turn.text;
  let textAt = 0;
  let callAt = 0;
  const flush = (textEnd: number, callEnd: number) => {
    const end = Math.min(Math.max(textEnd, textAt), text.length);
    if (end > textAt) parts.push({ text: text.slice(textAt, end) });
    // textAt never passes the text's end (it only moves over text the turn holds), so end >= textAt.
    textAt = end;
    for (; callAt < Math.min(callEnd, calls.length); callAt++)
      parts.push(calls[callAt] as WirePart);
  };
  for (const { part, afterCalls, afterText } of state.placed) {
    flush(afterText, afterCalls);
    if (typeof part.text !== "string" || part.text === "") {
      parts.push(part);
    } else if (text.startsWith(part.text, textAt)) {
      parts.push(part);
      textAt += part.text.length;
    } else {
      // The text was edited since Gemini signed it: the signature stays, on an empty text part.
      parts.push({ ...part, text: "" });
    }
  }
  flush(text.length, calls.length);
  return parts;
}

/** One `functionResponse` per call, in call order, `response` as `encodeGeminiFollowUp` writes it. */
function encodeResults(turn: TranscriptAssistantTurn, calls: readonly WirePart[]): WirePart[] {
  return (turn.results ?? []).map((result, index) => {
    // prepareTranscript checked that the results answer the calls one to one, in order.
    const call = (calls[index] as WirePart).functionCall as WireFunctionCall;
    const output = result.output === undefined ? null : result.output;
    return {
      functionResponse: {
        ...(call.id !== undefined ? { id: call.id } : {}),
        name: call.name,
        response: result.isError ? { error: output } : { output },
      },
    };
  });
}

function callStateOf(
  item: VendorState,
  warnings: TranscriptWarning[],
  turn: number,
): GeminiCallState | undefined {
  const state = asCallState(item.value);
  if (!state) warnMalformed(item, warnings, turn);
  return state;
}

function sortTurnState(
  state: readonly VendorState[] | undefined,
  warnings: TranscriptWarning[],
  turn: number,
): TurnParts {
  const sorted: TurnParts = { thoughts: [], placed: [] };
  for (const item of state ?? []) {
    const placed = item.kind === THOUGHT_KIND ? undefined : asPlacedPart(item.value);
    if (item.kind === THOUGHT_KIND && isJsonObject(item.value)) sorted.thoughts.push(item.value);
    else if (placed) sorted.placed.push(placed);
    else warnMalformed(item, warnings, turn);
  }
  return sorted;
}

function warnMalformed(item: VendorState, warnings: TranscriptWarning[], turn: number): void {
  warnings.push({
    code: "state-dropped",
    message: `A gemini ${item.kind} state is not in the shape this codec writes; dropped.`,
    turn,
  });
}

/**
 * Rendered id → transcript id for every call whose id reading the rendered history gives differs
 * from the transcript's: ids prepareTranscript replaced, and ids not sent (another vendor's, or
 * synthesized), which a reader synthesizes again. Calls keep their order through a render, so the
 * n-th call read back is the n-th call of the transcript.
 */
function mapReadBackIds(
  transcript: Transcript,
  messages: readonly WireContent[],
  warnings: TranscriptWarning[],
): Map<string, string> {
  const original = callsOf(transcript);
  const readBack = callsOf(decodeGeminiHistory(messages).transcript);
  const idMap = new Map<string, string>();
  const changed = { replaced: 0, unsent: 0, resynthesized: 0 };
  original.forEach((call, index) => {
    const rendered = readBack[index];
    if (!rendered || rendered.id === call.id) return;
    idMap.set(rendered.id, call.id);
    if (!rendered.idSynthesized) changed.replaced++;
    else if (call.idSynthesized) changed.resynthesized++;
    else changed.unsent++;
  });
  const say = (count: number, message: string) => {
    if (count > 0) warnings.push({ code: "id-remapped", message: `${count} ${message}` });
  };
  say(
    changed.replaced,
    "call id(s) are empty or repeat an earlier id; they are replaced by portable ids (see idMap).",
  );
  say(
    changed.unsent,
    'call id(s) were not issued by Gemini and are not sent (Vertex answered 400 "Unknown name id"); those calls pair with their results by order and name, and reading the history back gives them the ids idMap lists.',
  );
  say(
    changed.resynthesized,
    "call(s) without an id get other synthesized ids when the history is read back (their turn merges with a neighbouring one); see idMap.",
  );
  return idMap;
}

function callsOf(transcript: Transcript): TranscriptCall[] {
  return transcript.turns.flatMap((turn) => (turn.role === "assistant" ? turn.calls : []));
}
