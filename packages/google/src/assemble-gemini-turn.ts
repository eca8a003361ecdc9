import {
  type BatchWarning,
  type CallIdGenerator,
  createToolCall,
  type ToolCall,
} from "@toolbatch/core";
import { createPartialArgsBuilder, type PartialArgsBuilder } from "./apply-partial-args.js";
import {
  type GeminiTurn,
  isPlainText,
  type WireFunctionCall,
  type WirePart,
} from "./decode-gemini-part.js";

/** The model turn and its calls, as far as the parts read so far go. */
export interface AssembledTurn {
  /** The turn to echo: role `model`, the parts in order. */
  readonly turn: GeminiTurn;
  /** The calls, in part order. */
  readonly calls: readonly ToolCall[];
  /** True when a streamed call never got its closing part (its arguments may be cut). */
  readonly cut: boolean;
}

/** Reads a model turn part by part: every part of a response, or of a stream's chunks in order. */
export interface GeminiTurnAssembler {
  /** Reads one part; returns the call it completed, if any (streams report it right away). */
  append(part: WirePart): ToolCall[];
  /** Ends the turn: a call still open is closed as cut off. */
  finish(): AssembledTurn;
}

/** A Vertex call whose arguments are still streaming. */
interface OpenCall {
  /**
   * Its place in `parts`, held by its first part (not text, so no text joins across it) until the
   * whole call replaces it: the turn keeps the model's order.
   */
  readonly slot: number;
  /** Its first part: the one with the name and (for the first call) the thought signature. */
  first: WirePart;
  readonly args: PartialArgsBuilder;
}

/**
 * The one reader of Gemini parts, used by `toBatch` (all parts of the candidate at once) and by the
 * stream assembler (part after part across chunks), so a streamed turn assembles exactly like the
 * same turn unstreamed. What it keeps for the echo:
 * - every part verbatim, `thoughtSignature` on the part it came on (Google signs only the first
 *   call of a parallel batch, and may put the signature on a trailing empty-text part instead:
 *   both stay where they are; "never merge a part that has a signature with one that doesn't");
 * - consecutive plain text parts (no signature) joined, as the unstreamed response has them;
 * - empty text parts without a signature dropped: they carry nothing, and Vertex refuses them in
 *   a request ("Unable to submit request because it has an empty text parameter");
 * - a Vertex streamed call (`willContinue` / `partialArgs`) as one whole `functionCall` part with
 *   its arguments built: the SDK refuses `partialArgs` and `willContinue` in requests to the
 *   Gemini API, and both APIs take `args`.
 */
export function createGeminiTurnAssembler(
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): GeminiTurnAssembler {
  const parts: WirePart[] = [];
  const calls: ToolCall[] = [];
  let open: OpenCall | undefined;
  let cut = false;

  /**
   * Reads one whole `functionCall` as the batch's next call. Gemini's ids are optional: where one
   * is missing core synthesizes a portable id, which the follow-up never sends back. No warning
   * says so: a Gemini model before 3 never sends ids, so a warning would come with every call
   * (200 for a 200-call turn) and say nothing the call's `idSynthesized` flag does not.
   */
  const decode = (fields: WireFunctionCall): ToolCall => {
    const call = createToolCall(
      { id: fields.id, name: fields.name ?? "", arguments: fields.args, index: calls.length },
      ids,
      warnings,
      { idsOptional: true },
    );
    calls.push(call);
    return call;
  };

  const closeCall = (cutOff: boolean): ToolCall => {
    const call = open as OpenCall;
    open = undefined;
    const {
      partialArgs: _pieces,
      willContinue: _more,
      ...fields
    } = call.first.functionCall as WireFunctionCall;
    const whole = { ...fields, args: call.args.value };
    parts[call.slot] = { ...call.first, functionCall: whole };
    if (cutOff) {
      cut = true;
      warnings.push({
        code: "call-unterminated",
        message: `Call ${calls.length} (${fields.name ?? ""}) never got its closing part (willContinue stayed true); its arguments may be cut, so the batch is incomplete.`,
        callIndex: calls.length,
      });
    }
    return decode(whole);
  };

  /**
   * A part that belongs to the open call: its pieces, a late id, name or signature. The call's
   * first part is absorbed too, for its pieces: its own id, name and signature change nothing.
   */
  const absorb = (call: OpenCall, part: WirePart) => {
    const fields = part.functionCall as WireFunctionCall;
    const { functionCall: first, thoughtSignature: signature } = call.first;
    if (part.thoughtSignature && signature && part.thoughtSignature !== signature) {
      warnings.push({
        code: "signature-conflict",
        message: `Call ${calls.length} got a second, different thoughtSignature on a continuation part; the first one is kept.`,
        callIndex: calls.length,
      });
    }
    // An id or name the first part had is the same here (a different one starts another call).
    call.first = {
      ...call.first,
      ...(part.thoughtSignature && !signature ? { thoughtSignature: part.thoughtSignature } : {}),
      functionCall: {
        ...first,
        ...(fields.id ? { id: fields.id } : {}),
        ...(fields.name ? { name: fields.name } : {}),
      },
    };
    const index = calls.length;
    for (const problem of call.args.apply(fields)) {
      warnings.push({
        code: "partial-args-skipped",
        message: `Call ${index}: ${problem}.`,
        callIndex: index,
      });
    }
  };

  /** Plain text joins the plain text of its kind before it; alone, empty plain text is dropped. */
  const appendText = (part: WirePart & { readonly text: string }) => {
    if (part.text === "") return;
    const last = parts.at(-1);
    if (last && isPlainText(last) && (last.thought === true) === (part.thought === true)) {
      parts[parts.length - 1] = { ...last, text: last.text + part.text };
      return;
    }
    parts.push(part);
  };

  return {
    append(part) {
      const fields = part.functionCall;
      if (!fields) {
        if (isPlainText(part)) appendText(part);
        else parts.push(part);
        return [];
      }
      const completed: ToolCall[] = [];
      const first = open?.first.functionCall;
      // By the protocol every call part belongs to the open call until one ends it
      // (willContinue false); a different name or id means the closing part was lost.
      if (
        first &&
        ((fields.name && first.name && fields.name !== first.name) ||
          (fields.id && first.id && fields.id !== first.id))
      ) {
        completed.push(closeCall(true));
      }
      if (!open && (fields.willContinue === true || fields.partialArgs !== undefined)) {
        open = { slot: parts.length, first: part, args: createPartialArgsBuilder() };
        parts.push(part);
      }
      if (open) {
        absorb(open, part);
        // Pieces without willContinue: the call ends with this part (or began and ended in it).
        if (fields.willContinue !== true) completed.push(closeCall(false));
      } else {
        parts.push(part);
        completed.push(decode(fields));
      }
      return completed;
    },
    finish() {
      if (open) closeCall(true);
      return { turn: { role: "model", parts: [...parts] }, calls, cut };
    },
  };
}
