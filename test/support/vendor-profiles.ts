import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import { anthropic, anthropicTranscript } from "@toolbatch/anthropic";
import {
  anthropicWire,
  type GeminiRequest,
  geminiLegacyWire,
  geminiWire,
  openaiChatWire,
  openaiResponsesWire,
  type WireProfile,
} from "@toolbatch/contract";
import {
  ANTHROPIC_CALL_IDS,
  type AnyTool,
  type CallIdPolicy,
  GEMINI_CALL_IDS,
  joinText,
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
  type TranscriptCodec,
} from "@toolbatch/core";
import {
  googleGenAI,
  googleGenAITranscript,
  googleGenerativeAI,
  googleGenerativeAITranscript,
} from "@toolbatch/google";
import {
  openaiChat,
  openaiChatTranscript,
  openaiResponses,
  openaiResponsesTranscript,
} from "@toolbatch/openai";

type AnyWire = WireProfile<unknown, unknown, unknown, unknown>;

/**
 * One vendor as the cross-provider tests see it: its transcript codec, the contract kit's wire
 * profile (history, schema validation), and where its system instructions live in a request.
 */
export interface VendorProfile {
  /** The profile's name in test titles. */
  readonly name: string;
  readonly codec: TranscriptCodec<unknown>;
  readonly wire: AnyWire;
  /** The recordings whose conversations this vendor starts (`loadRecordings(key)`). */
  readonly recordings: string;
  /** The ids the vendor accepts. */
  readonly callIds: CallIdPolicy;
  /** The tool declarations for a request. */
  tools(tools: readonly AnyTool[]): unknown;
  /** The system instructions a request carries outside its history, if the vendor has such a field. */
  systemOf(request: unknown): string | undefined;
  /** A copy of a request with `RenderedHistory.system` in the vendor's field. */
  withSystem(request: unknown, system: string | undefined): unknown;
}

const inHistory = {
  systemOf: () => undefined,
  withSystem: (request: unknown) => request,
};

const anthropicSystem = {
  systemOf(request: unknown) {
    const system = (request as MessageCreateParams).system;
    if (system === undefined) return undefined;
    return typeof system === "string" ? system : joinText(system.map((block) => block.text));
  },
  withSystem: (request: unknown, system: string | undefined) => {
    const { system: _old, ...rest } = request as MessageCreateParams;
    return system === undefined ? rest : { ...rest, system };
  },
};

const geminiSystem = {
  systemOf(request: unknown) {
    const parts = (request as GeminiRequest).systemInstruction?.parts;
    return parts && joinText(parts.map((part) => part.text ?? ""));
  },
  withSystem: (request: unknown, system: string | undefined) => {
    const { systemInstruction: _old, ...rest } = request as GeminiRequest;
    return system === undefined
      ? rest
      : { ...rest, systemInstruction: { parts: [{ text: system }] } };
  },
};

const codec = <Message>(value: TranscriptCodec<Message>) => value as TranscriptCodec<unknown>;
const wire = <R, E, Q, M>(value: WireProfile<R, E, Q, M>) => value as unknown as AnyWire;

/** Every vendor a conversation can move between. */
export const VENDOR_PROFILES: readonly VendorProfile[] = [
  {
    name: "openai-chat",
    codec: codec(openaiChatTranscript()),
    wire: wire(openaiChatWire),
    recordings: "openai-chat",
    callIds: OPENAI_CALL_IDS,
    tools: (tools) => openaiChat().tools(tools),
    ...inHistory,
  },
  {
    // Mistral speaks Chat Completions with a stricter id rule: exactly 9 letters or digits.
    name: "mistral",
    codec: codec(openaiChatTranscript({ callIds: MISTRAL_CALL_IDS })),
    wire: wire(openaiChatWire),
    recordings: "openai-chat",
    callIds: MISTRAL_CALL_IDS,
    tools: (tools) => openaiChat().tools(tools),
    ...inHistory,
  },
  {
    name: "openai-responses",
    codec: codec(openaiResponsesTranscript()),
    wire: wire(openaiResponsesWire),
    recordings: "openai-responses",
    callIds: OPENAI_CALL_IDS,
    tools: (tools) => openaiResponses().tools(tools),
    ...inHistory,
  },
  {
    name: "anthropic",
    codec: codec(anthropicTranscript()),
    wire: wire(anthropicWire),
    recordings: "anthropic",
    callIds: ANTHROPIC_CALL_IDS,
    tools: (tools) => anthropic().tools(tools),
    ...anthropicSystem,
  },
  {
    name: "google-genai",
    codec: codec(googleGenAITranscript()),
    wire: wire(geminiWire),
    recordings: "gemini",
    callIds: GEMINI_CALL_IDS,
    tools: (tools) => googleGenAI().tools(tools),
    ...geminiSystem,
  },
  {
    name: "google-generative-ai",
    codec: codec(googleGenerativeAITranscript()),
    wire: wire(geminiLegacyWire),
    recordings: "gemini",
    callIds: GEMINI_CALL_IDS,
    tools: (tools) => googleGenerativeAI().tools(tools),
    ...geminiSystem,
  },
];
