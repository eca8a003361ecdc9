import type {
  Content,
  GenerateContentResponse,
  GenerationConfig,
  Part,
  Tool,
  ToolConfig,
} from "@google/genai";
import type { Recording } from "../recordings/load-recordings.js";
import { loadSpecValidator } from "../schemas/spec-validator.js";
import { parseSseEvents } from "../server/parse-sse-events.js";
import { followUpHistory } from "./follow-up-history.js";
import type { ResultCarrier, WireProfile } from "./wire-profile.js";

/**
 * A `generateContent` request body as the REST API takes it (and the recordings hold it): the SDK's
 * `GenerateContentParameters` nests tools and settings under `config`, the wire does not.
 */
export interface GeminiRequest {
  /** The conversation. */
  contents: Content[];
  /** Tool declarations. */
  tools?: Tool[];
  /** Function-calling mode. */
  toolConfig?: ToolConfig;
  /** The system instruction. */
  systemInstruction?: Content;
  /** Sampling and output settings. */
  generationConfig?: GenerationConfig;
}

type Chunk = GenerateContentResponse;

/**
 * The Gemini `generateContent` wire, typed with `@google/genai`: for `googleGenAI()`. The same JSON
 * serves the legacy SDK (see `geminiLegacyWire`).
 */
export const geminiWire: WireProfile<Chunk, Chunk, GeminiRequest, Content> = {
  vendor: "gemini",
  parseStream(stream) {
    const bodies =
      stream.format === "jsonl"
        ? stream.text.split("\n")
        : parseSseEvents(stream.text).map((event) => event.data);
    return bodies.filter((body) => body.trim() !== "").map((body) => JSON.parse(body) as Chunk);
  },
  rechunk: regroupParts,
  // A stream's chunks are responses: the whole response is a stream of one chunk, which
  // `rechunk` regroups and splits as a server may.
  streamOf: (response) => [response],
  response: (recording) => recording.response as Chunk,
  history: (request) => [...request.contents],
  withHistory: (request, history, fields = {}) => ({
    ...request,
    ...fields,
    contents: [...history],
  }),
  withTools: (request, tools) => ({ ...request, tools: tools as Tool[] }),
  validateRequest: (request) =>
    loadSpecValidator("gemini").validate("GenerateContentRequest", request),
  recordedFollowUp(recording) {
    const added = followUpHistory(this, recording);
    return added && withoutClientIds(added, recording);
  },
  comparable: (followUp) =>
    followUp.map((content) => ({
      role: content.role,
      parts: (content.parts ?? []).map(comparablePart),
    })),
  readResults: (followUp): ResultCarrier[] =>
    followUp.flatMap((content) =>
      (content.parts ?? []).flatMap((part) => {
        const answer = part.functionResponse;
        if (!answer) return [];
        const { error, text } = readResponse(answer.response);
        return [{ callId: answer.id, error, text }];
      }),
    ),
  // Gemini has no request switch for parallel calls.
  disablesParallel: () => false,
};

/**
 * What a `functionResponse.response` tells the model: `{ error }` is an error, `{ output }` an
 * output, and any other object is the output as a whole (FunctionResponse doc). Text is a
 * string as it is, anything else as JSON, so a recorded `{ result: "5" }` and an output of
 * `'{"result":"5"}'` read the same.
 */
function readResponse(response: Record<string, unknown> | undefined): {
  error: boolean;
  text: string;
} {
  const body = response ?? {};
  const error = Object.hasOwn(body, "error");
  const value = error ? body.error : Object.hasOwn(body, "output") ? body.output : body;
  return { error, text: typeof value === "string" ? value : (JSON.stringify(value) ?? "") };
}

function comparablePart(part: Part): unknown {
  const signature = part.thoughtSignature
    ? { thoughtSignature: standardBase64(part.thoughtSignature) }
    : {};
  if (part.functionCall) {
    const { id, name, args } = part.functionCall;
    return { functionCall: { ...(id ? { id } : {}), name, args: args ?? {} }, ...signature };
  }
  if (part.functionResponse) {
    const { id, name, response } = part.functionResponse;
    return { functionResponse: { ...(id ? { id } : {}), name, ...readResponse(response) } };
  }
  return { ...part, ...signature };
}

/** Signatures are base64 bytes; pydantic-ai sends them back base64url (gm6). Same bytes. */
function standardBase64(signature: string): string {
  return signature.replace(/-/g, "+").replace(/_/g, "/");
}

/**
 * The recorded follow-up without the ids its client made up: Gemini sent none (the recording's
 * expected id is `null`), yet fantasy numbered the calls "1", "2" and pydantic-ai named them
 * "pyd_ai_…" on both the echoed calls and the responses. toolbatch never sends an id Gemini did
 * not send, and pairs such calls by order and name, so those ids are not part of the contract.
 */
function withoutClientIds(contents: Content[], recording: Recording): Content[] {
  const vendorIds = new Set(recording.expected.calls.flatMap((call) => call.id ?? []));
  const strip = <Value extends { id?: string }>(value: Value): Value => {
    if (value.id === undefined || vendorIds.has(value.id)) return value;
    const { id: _clientId, ...rest } = value;
    return rest as Value;
  };
  return contents.map((content) => ({
    ...content,
    parts: (content.parts ?? []).map((part) => ({
      ...part,
      ...(part.functionCall ? { functionCall: strip(part.functionCall) } : {}),
      ...(part.functionResponse ? { functionResponse: strip(part.functionResponse) } : {}),
    })),
  }));
}

/** One part on its way through {@link regroupParts}, with the chunk it came in. */
interface Piece {
  readonly chunk: Chunk;
  readonly part: Part;
  /** Whether it is the last piece of its chunk (the one a `finishReason` belongs after). */
  readonly last: boolean;
}

/**
 * Re-chunks a Gemini stream. Parts arrive whole, so a server is free only in how it groups them
 * into chunks and, for Vertex streamed arguments and text, where it splits a string: each part
 * boundary is cut, joined or kept as recorded (`cuts[i] % 3`), and a `partialArgs` string or a
 * plain text part may be split in two. A chunk's `finishReason` stays on the chunk that ends with
 * its last part. Chunks without parts (usage only) and multi-candidate chunks stay as they are.
 * An empty cut list gives back the recorded chunking.
 */
function regroupParts(events: readonly Chunk[], cuts: readonly number[]): Chunk[] {
  let cursor = 0;
  const nextCut = () => (cursor < cuts.length ? (cuts[cursor++] as number) : undefined);
  const out: Chunk[] = [];
  let group: Piece[] = [];
  const flush = () => {
    if (group.length > 0) out.push(chunkOf(group));
    group = [];
  };
  for (const chunk of events) {
    const parts = chunk.candidates?.length === 1 ? chunk.candidates[0]?.content?.parts : undefined;
    if (!parts || parts.length === 0) {
      flush();
      out.push(chunk);
      continue;
    }
    const pieces = parts.flatMap((part) => splitPart(part, nextCut()));
    pieces.forEach((part, position) => {
      const cut = group.length > 0 ? nextCut() : undefined;
      const recorded = position === 0;
      if (group.length > 0 && (cut === undefined ? recorded : [true, false, recorded][cut % 3])) {
        flush();
      }
      group.push({ chunk, part, last: position === pieces.length - 1 });
    });
  }
  flush();
  return out;
}

function chunkOf(group: readonly Piece[]): Chunk {
  const { chunk, last } = group[group.length - 1] as Piece;
  const { finishReason, finishMessage, ...candidate } = chunk.candidates?.[0] ?? {};
  return {
    ...chunk,
    candidates: [
      {
        ...candidate,
        ...(last && finishReason ? { finishReason } : {}),
        ...(last && finishMessage ? { finishMessage } : {}),
        content: { ...candidate.content, parts: group.map((piece) => piece.part) },
      },
    ],
  } as Chunk;
}

/** A part split in two at `cut` (taken modulo its string's length), where it holds one string. */
function splitPart(part: Part, cut: number | undefined): Part[] {
  const call = part.functionCall;
  const piece = call?.partialArgs?.length === 1 ? call.partialArgs[0] : undefined;
  const text = piece?.stringValue ?? (isPlainText(part) ? part.text : undefined);
  const at = cut === undefined || text === undefined || text.length < 2 ? 0 : cut % text.length;
  if (at === 0 || text === undefined) return [part];
  const [head, tail] = [text.slice(0, at), text.slice(at)];
  if (!call || !piece)
    return [
      { ...part, text: head },
      { ...part, text: tail },
    ];
  return [
    {
      ...part,
      functionCall: {
        ...call,
        partialArgs: [{ ...piece, stringValue: head, willContinue: true }],
        willContinue: true,
      },
    },
    {
      functionCall: {
        partialArgs: [{ ...piece, stringValue: tail }],
        ...(call.willContinue !== undefined ? { willContinue: call.willContinue } : {}),
      },
    },
  ];
}

function isPlainText(part: Part): part is Part & { text: string } {
  return (
    typeof part.text === "string" &&
    Object.keys(part).every((key) => key === "text" || key === "thought")
  );
}
