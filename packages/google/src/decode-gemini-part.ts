/**
 * One streamed piece of a call's arguments (Vertex `streamFunctionCallArguments`): a value at a
 * JSON path, strings possibly split over several pieces. The SDKs call it `PartialArg`.
 */
export interface WirePartialArg {
  /** Where the value goes, as an RFC 9535 path: `$.location`, `$.stops[0].city`. */
  readonly jsonPath?: string;
  /** A string value, or a piece of one when `willContinue` is true. */
  readonly stringValue?: string;
  /** A number value. */
  readonly numberValue?: number;
  /** A boolean value. */
  readonly boolValue?: boolean;
  /** Present (`NULL_VALUE`) for a null value. */
  readonly nullValue?: string;
  /** True when more pieces of the same string follow. */
  readonly willContinue?: boolean;
}

/** A `functionCall` as both Google SDKs receive it, typed loosely: only what the adapter reads. */
export interface WireFunctionCall {
  /** The call id; Gemini sends one only sometimes (Gemini 3), the legacy API never. */
  readonly id?: string;
  /** The function's name. */
  readonly name?: string;
  /** The arguments, already an object (Gemini never sends a JSON string). */
  readonly args?: unknown;
  /** Vertex only: argument pieces of a streamed call. */
  readonly partialArgs?: readonly WirePartialArg[];
  /** Vertex only: true while more parts of this call follow. */
  readonly willContinue?: boolean;
}

/** A `functionResponse`: the answer to one call, as the follow-up sends it. */
export interface WireFunctionResponse {
  /** The call's id, only where Gemini sent one. */
  readonly id?: string;
  /** The function's name, as the call had it. */
  readonly name?: string;
  /** An object: `{ output }` or `{ error }` (`object` in the legacy SDK's types). */
  readonly response?: object;
}

/** A `Part` of a Gemini `Content`. Every field the adapter does not read is echoed untouched. */
export interface WirePart {
  /** A client-side function call. */
  readonly functionCall?: WireFunctionCall;
  /** The answer to a call (only in follow-ups). */
  readonly functionResponse?: WireFunctionResponse;
  /** Text, including thought summaries (`thought: true`). */
  readonly text?: string;
  /** True for a thought summary. */
  readonly thought?: boolean;
  /**
   * An opaque signature Gemini 2.5/3 put on the part (not inside `functionCall`); it must come
   * back on the same part, or Gemini 3 answers 400 "Function call is missing a thought_signature".
   */
  readonly thoughtSignature?: string;
}

/** A `Content`: a role and its parts. */
export interface WireContent {
  /** `model` for the model's turn; `user` (or `function` on the legacy API) for results. */
  readonly role?: string;
  /** The parts, in order. */
  readonly parts?: readonly WirePart[];
}

/** The model turn a Gemini batch keeps and echoes: always role `model`, parts in order. */
export interface GeminiTurn {
  /** Always `model`: a content without role would be read as the user's. */
  readonly role: string;
  /** The parts as the model sent them (see `createGeminiTurnAssembler` for what is joined or dropped). */
  readonly parts: readonly WirePart[];
}

/** True for a part that is nothing but text (or a thought summary): no signature, nothing else. */
export function isPlainText(part: WirePart): part is WirePart & { readonly text: string } {
  if (typeof part.text !== "string") return false;
  return Object.keys(part).every((key) => key === "text" || key === "thought");
}
