import { freePortableCallId } from "../adapter-kit/call-id-policy.js";
import { InvalidHistoryError } from "../errors/invalid-history-error.js";
import { copyJsonValue, type JsonValueFault } from "../values/copy-json-value.js";
import { describeValue } from "../values/describe-value.js";
import type {
  Transcript,
  TranscriptCall,
  TranscriptReading,
  TranscriptResult,
  TranscriptTurn,
  TranscriptWarning,
  VendorState,
} from "./transcript.js";

/** A call as a reader found it: the id may be missing (Gemini). */
export interface FoundCall {
  readonly id?: string | undefined;
  readonly name: string;
  readonly input: unknown;
  readonly state?: VendorState | undefined;
}

/** A result as a reader found it; it is paired with its call by id, else by name and order. */
export interface FoundResult {
  readonly callId?: string | undefined;
  readonly name?: string | undefined;
  readonly isError: boolean;
  readonly output: unknown;
}

/**
 * Collects what a codec reads from a vendor history, in history order, into a transcript. It
 * owns what every reader would otherwise repeat: pairing results with calls (by id, else by name
 * and order, as Gemini pairs), answering calls the history left unanswered, dropping results
 * that answer nothing, and giving id-less calls deterministic ids.
 */
export interface TranscriptBuilder {
  /** Adds system instructions (joined with a blank line when there are several). */
  system(text: string): void;
  /** Adds a user turn; consecutive user texts are joined with a blank line. */
  user(text: string): void;
  /** Adds an assistant turn. */
  assistant(turn: {
    readonly text: string;
    readonly calls?: readonly FoundCall[];
    readonly state?: readonly VendorState[];
  }): void;
  /** Adds a result for a call of the latest assistant turn. */
  result(result: FoundResult): void;
  /** Records something the reader could not carry over. */
  warn(code: string, message: string): void;
  /** The transcript and every warning. */
  finish(): TranscriptReading;
}

interface OpenTurn {
  text: string;
  readonly calls: FoundCall[];
  readonly results: (FoundResult | undefined)[];
  state: readonly VendorState[] | undefined;
}

type DraftTurn = { role: "user"; text: string } | ({ role: "assistant" } & OpenTurn);

const MISSING_RESULT = "No result was recorded for this call.";

/** Options of {@link createTranscriptBuilder}. */
export interface TranscriptBuilderOptions {
  /** The codec's package, e.g. `toolbatch/anthropic`, to start error messages. */
  readonly source?: string;
}

/**
 * A new, empty {@link TranscriptBuilder}. What it is handed must be transcript data: texts, tool
 * names and ids are strings, inputs and outputs JSON data. A codec checks its vendor's shapes
 * first, with the position of the entry at fault; what slips through is refused here, so no
 * malformed history becomes a malformed transcript.
 *
 * @throws {InvalidHistoryError} (index -1) from any method handed what is not transcript data.
 */
export function createTranscriptBuilder(options: TranscriptBuilderOptions = {}): TranscriptBuilder {
  const source = options.source ?? "toolbatch/core";
  const expectString = (value: unknown, what: string) => {
    if (typeof value !== "string") {
      throw new InvalidHistoryError(
        ` holds ${what} ${describeValue(value)}, not a string.`,
        -1,
        source,
      );
    }
  };
  const fault: JsonValueFault = (where, problem) =>
    new InvalidHistoryError(
      ` holds a value${where ? ` at ${where}` : ""} that ${problem}`,
      -1,
      source,
    );
  const drafts: DraftTurn[] = [];
  const warnings: TranscriptWarning[] = [];
  const systems: string[] = [];
  const warn = (code: string, message: string, turn = drafts.length - 1) => {
    warnings.push(turn >= 0 ? { code, message, turn } : { code, message });
  };
  const lastAssistant = (): (OpenTurn & { role: "assistant" }) | undefined => {
    const last = drafts[drafts.length - 1];
    return last?.role === "assistant" ? last : undefined;
  };

  return {
    system(text) {
      expectString(text, "a system text");
      if (drafts.length > 0) {
        warn(
          "system-moved",
          "A system message in the middle of the history moves to the transcript's system instructions.",
        );
      }
      systems.push(text);
    },
    user(text) {
      expectString(text, "a user text");
      const last = drafts[drafts.length - 1];
      if (last?.role === "user") last.text = joinText([last.text, text]);
      else drafts.push({ role: "user", text });
    },
    assistant({ text, calls = [], state }) {
      expectString(text, "an assistant text");
      for (const call of calls) {
        expectString(call.name, "a call whose name is");
        if (call.id !== undefined) expectString(call.id, "a call whose id is");
      }
      const last = lastAssistant();
      // One batch written as one assistant message per call (some clients do; Effect-TS/effect#6702):
      // what follows calls no result has answered yet belongs to their turn.
      if (last && last.calls.length > 0 && !isAnswered(last)) {
        last.text = joinText([last.text, text]);
        last.calls.push(...calls);
        last.results.push(...calls.map(() => undefined));
        if (state && state.length > 0) last.state = [...(last.state ?? []), ...state];
        return;
      }
      drafts.push({
        role: "assistant",
        text,
        calls: [...calls],
        results: calls.map(() => undefined),
        state: state && state.length > 0 ? state : undefined,
      });
    },
    result(result) {
      if (result.callId !== undefined) expectString(result.callId, "a result whose call id is");
      if (result.name !== undefined) expectString(result.name, "a result whose tool name is");
      const turn = lastAssistant();
      const position = turn ? pairResult(turn, result) : -1;
      if (!turn || position < 0) {
        warn(
          "result-orphaned",
          `A result${result.callId ? ` for call ${result.callId}` : ""} answers no call of the assistant turn before it; it is dropped.`,
        );
        return;
      }
      turn.results[position] = result;
    },
    warn: (code, message) => warn(code, message),
    finish() {
      const turns = finishTurns(drafts, warnings, fault);
      const transcript: Transcript =
        systems.length > 0 ? { system: joinText(systems), turns } : { turns };
      return { transcript, warnings };
    },
  };
}

function isAnswered(turn: OpenTurn): boolean {
  return turn.results.some((result) => result !== undefined);
}

/**
 * The call a result answers: the open call of its id; else the first open call of its name, else
 * the first open call. An id the calls do not have pairs only with id-less calls (Gemini answers
 * by name and order).
 */
function pairResult(turn: OpenTurn, result: FoundResult): number {
  const byId = result.callId
    ? turn.calls.findIndex((call, index) => !turn.results[index] && call.id === result.callId)
    : -1;
  if (byId >= 0) return byId;
  const open = (index: number) => !turn.results[index] && !(result.callId && turn.calls[index]?.id);
  const byName = turn.calls.findIndex((call, index) => open(index) && call.name === result.name);
  if (byName >= 0 || result.name) return byName;
  return turn.calls.findIndex((_, index) => open(index));
}

function finishTurns(
  drafts: readonly DraftTurn[],
  warnings: TranscriptWarning[],
  fault: JsonValueFault,
): TranscriptTurn[] {
  const taken = new Set<string>();
  for (const draft of drafts) {
    if (draft.role === "assistant") for (const call of draft.calls) if (call.id) taken.add(call.id);
  }
  return drafts.map((draft, turnIndex): TranscriptTurn => {
    if (draft.role === "user") return { role: "user", text: draft.text };
    const calls = draft.calls.map((found, callIndex): TranscriptCall => {
      const seed = `${turnIndex}:${callIndex}:${found.name}`;
      const id = found.id || freePortableCallId(seed, (candidate) => !taken.has(candidate));
      taken.add(id);
      return {
        id,
        ...(found.id ? {} : { idSynthesized: true }),
        name: found.name,
        // Copies: the transcript shares nothing with the history it was read from.
        input: copyJsonValue(found.input, fault),
        ...(found.state ? { state: copyJsonValue(found.state, fault) } : {}),
      };
    });
    const isLast = turnIndex === drafts.length - 1;
    const pending = calls.length > 0 && !isAnswered(draft) && isLast;
    const results = pending
      ? undefined
      : answerEveryCall(calls, draft.results, turnIndex, warnings, fault);
    return {
      role: "assistant",
      text: draft.text,
      calls,
      ...(results ? { results } : {}),
      ...(draft.state ? { state: copyJsonValue(draft.state, fault) } : {}),
    };
  });
}

function answerEveryCall(
  calls: readonly TranscriptCall[],
  found: readonly (FoundResult | undefined)[],
  turn: number,
  warnings: TranscriptWarning[],
  fault: JsonValueFault,
): TranscriptResult[] {
  return calls.map((call, index) => {
    const result = found[index];
    if (result) {
      const output = copyJsonValue(result.output, fault);
      return { callId: call.id, name: call.name, isError: result.isError, output };
    }
    warnings.push({
      code: "result-missing",
      message: `Call ${call.id} (${call.name}) has no result in the history; it gets an error result saying so, since every vendor wants one per call.`,
      turn,
    });
    return { callId: call.id, name: call.name, isError: true, output: MISSING_RESULT };
  });
}

/** Joins text pieces with a blank line, skipping empty ones. */
export function joinText(pieces: readonly string[]): string {
  return pieces.filter((piece) => piece !== "").join("\n\n");
}
