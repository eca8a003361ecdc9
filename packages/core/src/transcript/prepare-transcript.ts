import { type CallIdPolicy, freePortableCallId } from "../adapter-kit/call-id-policy.js";
import { InvalidTranscriptError } from "../errors/invalid-transcript-error.js";
import { isJsonObject } from "../values/is-json-object.js";
import { checkTranscript } from "./check-transcript.js";
import type {
  Transcript,
  TranscriptAssistantTurn,
  TranscriptCall,
  TranscriptResult,
  TranscriptTurn,
  TranscriptWarning,
  VendorState,
} from "./transcript.js";

/** What a renderer needs to know of its vendor. */
export interface RenderTarget {
  /** The codec's vendor: state of this vendor is kept, any other's dropped. */
  readonly vendor: string;
  /** The ids the vendor accepts. */
  readonly callIds: CallIdPolicy;
  /** The source package, to start error messages: `toolbatch/anthropic`. */
  readonly source: string;
  /**
   * True when every call's input must be a JSON object (Anthropic's `tool_use.input`, Gemini's
   * `args`): a missing input becomes `{}`, any other value that is not an object (an OpenAI custom
   * tool's text, say) is sent as `{ input: <value> }`, with an `input-wrapped` warning.
   */
  readonly objectInputs?: boolean;
}

/** A transcript checked and made ready for one vendor. */
export interface PreparedTranscript {
  /**
   * The transcript as it was given, checked and copied: ids not re-mapped, every vendor's state
   * kept. A renderer reads this, never the transcript it was handed, which may be untyped data.
   */
  readonly transcript: Transcript;
  readonly system: string | undefined;
  /** The turns: ids re-mapped for the vendor, other vendors' state removed. */
  readonly turns: readonly TranscriptTurn[];
  /** Rendered id → transcript id, for every id that changed. */
  readonly idMap: Map<string, string>;
  readonly warnings: TranscriptWarning[];
}

/**
 * Checks a transcript and makes it ready to render for one vendor, which is what every renderer
 * would otherwise repeat:
 * - the transcript is copied as plain data and its shape checked (`checkTranscript`), so a
 *   malformed one, loaded from storage as untyped JSON, is refused before anything reads it;
 * - ids the vendor rejects, and ids already used earlier in the conversation, are replaced by
 *   portable ids derived from them (deterministic), the same in the call and its result;
 * - state of other vendors is removed, with one warning per vendor and kind.
 *
 * The turns returned share nothing with the transcript given: what a renderer builds from them
 * shares nothing with it either.
 *
 * @throws {InvalidTranscriptError} when the transcript is malformed, or a turn's results do not
 *   answer its calls one to one, in order.
 */
export function prepareTranscript(given: Transcript, target: RenderTarget): PreparedTranscript {
  const transcript = checkTranscript(given, target.source);
  const idMap = new Map<string, string>();
  const warnings: TranscriptWarning[] = [];
  const kept = collectValidIds(transcript, target.callIds);
  const claimed = new Set<string>();
  const turns = transcript.turns.map((turn, index): TranscriptTurn => {
    if (turn.role === "user") return turn;
    checkResults(turn, index, index === transcript.turns.length - 1, target.source);
    const calls = turn.calls.map((call): TranscriptCall => {
      const id = renderedId(call.id, target.callIds, kept, claimed);
      if (id !== call.id) idMap.set(id, call.id);
      const { state: callState, ...rest } = call;
      if (target.objectInputs)
        rest.input = objectInput(call, target.callIds.vendor, warnings, index);
      const state = callState && keepState([callState], target.vendor, warnings, index);
      return state ? { ...rest, id, state: state[0] as VendorState } : { ...rest, id };
    });
    const { results: found, state: turnState, ...rest } = turn;
    const results = found?.map(
      (result, position): TranscriptResult => ({
        ...result,
        callId: (calls[position] as TranscriptCall).id,
      }),
    );
    const state = turnState && keepState(turnState, target.vendor, warnings, index);
    return { ...rest, calls, ...(results ? { results } : {}), ...(state ? { state } : {}) };
  });
  if (idMap.size > 0) {
    warnings.push({
      code: "id-remapped",
      message: `${idMap.size} call id(s) are not valid on ${target.callIds.vendor} or repeat an earlier id; they are replaced by portable ids (see idMap).`,
    });
  }
  return { transcript, system: transcript.system, turns, idMap, warnings };
}

function checkResults(
  turn: TranscriptAssistantTurn,
  index: number,
  isLast: boolean,
  source: string,
): void {
  if (!turn.results) {
    if (isLast || turn.calls.length === 0) return;
    throw new InvalidTranscriptError(
      `turn ${index} has ${turn.calls.length} call(s) and no results; only the last turn may wait for its results.`,
      index,
      source,
    );
  }
  if (turn.results.length !== turn.calls.length) {
    throw new InvalidTranscriptError(
      `turn ${index} has ${turn.calls.length} call(s) but ${turn.results.length} result(s); every call needs exactly one result, in call order.`,
      index,
      source,
    );
  }
  turn.results.forEach((result, position) => {
    const call = turn.calls[position] as TranscriptCall;
    if (result.callId !== call.id) {
      throw new InvalidTranscriptError(
        `turn ${index}: result ${position} answers ${JSON.stringify(result.callId)} but call ${position} is ${JSON.stringify(call.id)}; results go in call order.`,
        index,
        source,
      );
    }
  });
}

/** The ids the vendor accepts as they are. */
function collectValidIds(transcript: Transcript, policy: CallIdPolicy): Set<string> {
  const valid = new Set<string>();
  for (const turn of transcript.turns) {
    if (turn.role !== "assistant") continue;
    for (const call of turn.calls) if (policy.accepts(call.id)) valid.add(call.id);
  }
  return valid;
}

/**
 * The id a call gets: its own on its first use when the vendor accepts it, else a portable id
 * derived from it that no other call has or will keep. Every rendered id is unique in the
 * conversation, so results pair unambiguously on every vendor.
 */
function renderedId(
  id: string,
  policy: CallIdPolicy,
  valid: ReadonlySet<string>,
  claimed: Set<string>,
): string {
  if (policy.accepts(id) && !claimed.has(id)) {
    claimed.add(id);
    return id;
  }
  const portable = freePortableCallId(
    id,
    (candidate) => !claimed.has(candidate) && !valid.has(candidate),
  );
  claimed.add(portable);
  return portable;
}

function objectInput(
  call: TranscriptCall,
  vendor: string,
  warnings: TranscriptWarning[],
  turn: number,
): unknown {
  if (call.input === undefined) return {};
  if (isJsonObject(call.input)) return call.input;
  warnings.push({
    code: "input-wrapped",
    message: `Call ${call.id} (${call.name}) has an input that is not an object; ${vendor} wants one, so it is sent as { input: <value> }.`,
    turn,
  });
  return { input: call.input };
}

function keepState(
  state: readonly VendorState[],
  vendor: string,
  warnings: TranscriptWarning[],
  turn: number,
): readonly VendorState[] | undefined {
  const kept = state.filter((item) => item.vendor === vendor);
  for (const item of state) {
    if (item.vendor === vendor) continue;
    const message = `${item.vendor} ${item.kind} state cannot be sent to ${vendor}; it is dropped (the turns and calls it came with are sent without it).`;
    if (!warnings.some((warning) => warning.message === message)) {
      warnings.push({ code: "state-dropped", message, turn });
    }
  }
  return kept.length > 0 ? kept : undefined;
}
