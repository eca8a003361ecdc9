import { isJsonObject, type VendorState } from "@toolbatch/core";
import type { WirePart } from "./decode-gemini-part.js";

/** The `vendor` of Gemini transcript state: one API behind both Google SDKs, so either reads the other's. */
export const GEMINI_VENDOR = "gemini";

/**
 * The value of a call's state: what a `functionCall` part had besides the call itself, so a
 * Gemini render gives back the same part.
 */
export interface GeminiCallState {
  /**
   * True when the part carried `functionCall.id`. Only such ids go back to Google: a synthesized or
   * foreign id is refused (Vertex answered 400 "Unknown name id", vercel/ai#15664).
   */
  readonly hasId: boolean;
  /** The part's other fields, verbatim: the `thoughtSignature`, when it had one. */
  readonly part: Readonly<Record<string, unknown>>;
  /** The `functionCall`'s fields other than `id`, `name` and `args`, verbatim, when there were any. */
  readonly call?: Readonly<Record<string, unknown>>;
}

/**
 * The value of turn state that must go back in its place: a signed text part (or the trailing
 * `{ text: "", thoughtSignature }` part streams end with, vendor-protocols.md §5.4), executable
 * code, an image the model made, ... `afterCalls` and `afterText` say where it sat: after how many
 * of the turn's calls and after how many characters of its text.
 */
export interface GeminiPlacedPart {
  /** The part, verbatim. */
  readonly part: WirePart;
  /** How many of the turn's `functionCall` parts came before it. */
  readonly afterCalls: number;
  /** How many characters of the turn's text came before it. */
  readonly afterText: number;
}

/**
 * The kind of a thought part's state (`thought: true`): its value is the part verbatim, and it
 * goes back first in the turn, where Gemini writes thoughts. The other kinds: a call's state is
 * `thought-signature` when its part was signed, else `call-id`; any other part is placed
 * ({@link GeminiPlacedPart}): `thought-signature` for signed text, `text-metadata` for text with
 * other fields, else the part's data key (`executableCode`, `codeExecutionResult`, `inlineData`, ...).
 */
export const THOUGHT_KIND = "thought";

/** Gemini state of this kind and value. */
export const geminiState = (kind: string, value: unknown): VendorState => ({
  vendor: GEMINI_VENDOR,
  kind,
  value,
});

/** A call's state, when the value is one this codec wrote. */
export function asCallState(value: unknown): GeminiCallState | undefined {
  if (!isJsonObject(value) || typeof value.hasId !== "boolean" || !isJsonObject(value.part)) return;
  if (value.call !== undefined && !isJsonObject(value.call)) return;
  return value as unknown as GeminiCallState;
}

/** A placed part, when the value is one this codec wrote. */
export function asPlacedPart(value: unknown): GeminiPlacedPart | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.part)) return;
  if (!isCount(value.afterCalls) || !isCount(value.afterText)) return;
  return value as unknown as GeminiPlacedPart;
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && Number(value) >= 0;
