import {
  checkHistoryField,
  copyHistory,
  createTranscriptBuilder,
  describeValue,
  type FoundCall,
  type FoundResult,
  InvalidHistoryError,
  isJsonObject,
  joinText,
  type TranscriptBuilder,
  type TranscriptReading,
  type VendorState,
} from "@toolbatch/core";
import {
  isPlainText,
  type WireContent,
  type WireFunctionResponse,
  type WirePart,
} from "./decode-gemini-part.js";
import {
  type GeminiCallState,
  type GeminiPlacedPart,
  geminiState,
  THOUGHT_KIND,
} from "./gemini-transcript-state.js";

const SOURCE = "toolbatch/google";

// Part fields that qualify the data rather than being it (Part in @google/genai).
const METADATA_KEYS = new Set([
  "thought",
  "thoughtSignature",
  "videoMetadata",
  "partMetadata",
  "mediaResolution",
  "mediaProcessing",
  "speechMetadata",
]);

/**
 * Reads Gemini `contents` (either SDK, or REST) into a transcript:
 * - `model` contents are assistant turns. Consecutive ones are one turn: `chats.sendMessageStream`
 *   of @google/genai stores each chunk as its own model content (vendor-protocols.md §5.5), and a
 *   parallel batch split over contents is still one batch. Text parts are concatenated as they are
 *   (the SDK's `response.text` does the same: streams split text anywhere); `functionCall` parts
 *   are calls, their `thoughtSignature` and whether Gemini sent an id kept as the call's state;
 *   thought parts, signed text, code execution and any other part are turn state.
 * - Any other content is the user's (`user`, the legacy SDK's `function`, or no role, which Gemini
 *   reads as `user`): `functionResponse` parts are results, read before the content's text so a
 *   content holding both answers the calls first; text is the user's; anything else (images,
 *   files) cannot cross vendors and is dropped with a warning. A legacy `system` content is system
 *   instructions (the request's `systemInstruction` is not part of the history: pass it yourself).
 */
export function decodeGeminiHistory(history: readonly WireContent[]): TranscriptReading {
  const builder = createTranscriptBuilder({ source: SOURCE });
  let model: WirePart[] | undefined;
  const endModelTurn = () => {
    if (model) readModelParts(model, builder);
    model = undefined;
  };
  (copyHistory(history, SOURCE) as WireContent[]).forEach((content, at) => {
    const parts = partsOf(content, at);
    if (content.role === "model") {
      model = [...(model ?? []), ...parts];
      return;
    }
    endModelTurn();
    if (content.role === "system") readSystemParts(parts, builder);
    else readUserParts(parts, builder);
  });
  endModelTurn();
  return builder.finish();
}

/**
 * A content's parts, once checked (a history loaded from storage is untyped JSON): the content is
 * an object with a string `role` (or none), its `parts` (when present) an array of part objects;
 * a part's `functionCall` and `functionResponse` are objects (a string would be read as one field
 * per character) with string names and ids, its text and signature strings.
 */
function partsOf(content: unknown, at: number): readonly WirePart[] {
  const parts = isJsonObject(content) ? (content.parts ?? []) : undefined;
  if (!Array.isArray(parts)) {
    const got = isJsonObject(content) ? `parts ${describeValue(parts)}` : describeValue(content);
    throw invalid(
      at,
      ` is not a content: expected { role, parts } with parts an array of parts, got ${got}.`,
    );
  }
  const field = (value: unknown, type: "string" | "object", where: string) =>
    checkHistoryField(value, type, at, where, SOURCE);
  field((content as { role?: unknown }).role, "string", ".role");
  parts.forEach((part: unknown, index) => {
    if (!isJsonObject(part)) {
      throw invalid(
        at,
        `.parts[${index}] is not a part: expected an object such as { text }, got ${describeValue(part)}.`,
      );
    }
    const where = `.parts[${index}]`;
    field(part.text, "string", `${where}.text`);
    field(part.thoughtSignature, "string", `${where}.thoughtSignature`);
    for (const name of ["functionCall", "functionResponse"]) {
      const inner = part[name];
      field(inner, "object", `${where}.${name}`);
      field((inner as { id?: unknown } | undefined)?.id, "string", `${where}.${name}.id`);
      field((inner as { name?: unknown } | undefined)?.name, "string", `${where}.${name}.name`);
    }
  });
  return parts;
}

function invalid(at: number, message: string): InvalidHistoryError {
  return new InvalidHistoryError(message, at, SOURCE);
}

function readModelParts(parts: readonly WirePart[], builder: TranscriptBuilder): void {
  let text = "";
  const calls: FoundCall[] = [];
  const state: VendorState[] = [];
  for (const part of parts) {
    if (part.functionCall) {
      calls.push(readCall(part));
    } else if (part.thought === true) {
      state.push(geminiState(THOUGHT_KIND, part));
    } else if (isPlainText(part)) {
      text += part.text;
    } else {
      const placed: GeminiPlacedPart = { part, afterCalls: calls.length, afterText: text.length };
      state.push(geminiState(placedKind(part), placed));
      // Signed text is still the model's text: other vendors read it, Gemini gets the part back.
      if (typeof part.text === "string") text += part.text;
    }
  }
  builder.assistant({ text, calls, state });
}

function readCall(part: WirePart): FoundCall {
  const { functionCall, ...partFields } = part;
  const { id, name, args, ...callFields } = functionCall ?? {};
  const hasId = typeof id === "string" && id !== "";
  const extra = Object.keys(callFields).length > 0;
  const kept = hasId || extra || Object.keys(partFields).length > 0;
  const value: GeminiCallState = {
    hasId,
    part: partFields,
    ...(extra ? { call: callFields } : {}),
  };
  const kind = part.thoughtSignature ? "thought-signature" : "call-id";
  return {
    id: hasId ? id : undefined,
    name: name ?? "",
    input: args ?? {},
    state: kept ? geminiState(kind, value) : undefined,
  };
}

function placedKind(part: WirePart): string {
  if (part.thoughtSignature) return "thought-signature";
  if (typeof part.text === "string") return "text-metadata";
  return dataKey(part);
}

/** The part's data field (`inlineData`, `executableCode`, ...), for warnings and state kinds. */
function dataKey(part: WirePart): string {
  return Object.keys(part).find((key) => !METADATA_KEYS.has(key)) ?? "part";
}

function readUserParts(parts: readonly WirePart[], builder: TranscriptBuilder): void {
  const texts: string[] = [];
  const dropped: string[] = [];
  for (const part of parts) {
    if (part.functionResponse) {
      builder.result(readFunctionResponse(part.functionResponse));
      if (hasParts(part.functionResponse)) dropped.push("functionResponse.parts");
    } else if (typeof part.text === "string" && part.thought !== true) {
      texts.push(part.text);
    } else {
      dropped.push(dataKey(part));
    }
  }
  if (texts.length > 0) builder.user(joinText(texts));
  for (const key of dropped) {
    builder.warn(
      "content-dropped",
      `A ${key} part of a user content cannot cross vendors (only text does); dropped.`,
    );
  }
}

function readSystemParts(parts: readonly WirePart[], builder: TranscriptBuilder): void {
  const texts = parts.flatMap((part) => (typeof part.text === "string" ? [part.text] : []));
  builder.system(joinText(texts));
  if (texts.length < parts.length) {
    builder.warn("content-dropped", "A system content holds parts other than text; dropped.");
  }
}

/**
 * A `functionResponse` as a result. Gemini's convention (FunctionResponse doc): "Use "output" key
 * to specify function output and "error" key to specify error details (if any). If "output" and
 * "error" keys are not specified, then whole "response" is treated as function output."
 */
function readFunctionResponse(answer: WireFunctionResponse): FoundResult {
  const response: unknown = answer.response ?? {};
  const found = { callId: answer.id || undefined, name: answer.name };
  if (!isJsonObject(response)) return { ...found, isError: false, output: response };
  if (Object.hasOwn(response, "error")) return { ...found, isError: true, output: response.error };
  if (Object.hasOwn(response, "output")) {
    return { ...found, isError: false, output: response.output };
  }
  return { ...found, isError: false, output: response };
}

/** Multimodal function responses (`functionResponse.parts`, Gemini 3) carry media that cannot cross. */
function hasParts(answer: WireFunctionResponse): boolean {
  const parts = (answer as { readonly parts?: unknown }).parts;
  return Array.isArray(parts) && parts.length > 0;
}
