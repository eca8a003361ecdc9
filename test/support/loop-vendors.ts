import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import {
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
} from "@google/genai";
import { type GenerateContentRequest, GoogleGenerativeAI } from "@google/generative-ai";
import { anthropic } from "@toolbatch/anthropic";
import {
  anthropicWire,
  frameSseEvent,
  geminiLegacyWire,
  geminiWire,
  openaiChatWire,
  openaiResponsesWire,
  type ServerReply,
  type VendorName,
} from "@toolbatch/contract";
import {
  type AnyTool,
  type ApproveHandler,
  defineTool,
  type ExecutionEvent,
  jsonSchema,
  type LoopBatches,
  runToolLoop,
  type ToolCall,
  type ToolLoopCheckpoint,
  type ToolLoopResult,
} from "@toolbatch/core";
import { googleGenAI, googleGenerativeAI } from "@toolbatch/google";
import { openaiChat, openaiResponses } from "@toolbatch/openai";
import OpenAI from "openai";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { ResponseCreateParams } from "openai/resources/responses/responses";

/** How a loop test sets up one run; every vendor reads it the same way. */
export interface LoopSetup {
  /** The loopback server's base URL for the vendor's SDK. */
  readonly url: string;
  readonly tools: readonly AnyTool[];
  /** Whether every request streams. */
  readonly stream: boolean;
  readonly signal?: AbortSignal;
  /** Whether `send` also hands the loop's signal to the SDK (many applications do not). */
  readonly signalToSdk?: boolean;
  readonly maxSteps?: number;
  /** False asks for one call per turn (the scripted model obeys the vendor's switch). */
  readonly parallel?: boolean;
  readonly onEvent?: (event: ExecutionEvent & { readonly step: number }) => void;
  /** Decides the calls that need approval (issue 16). */
  readonly approve?: ApproveHandler;
  /** How a turn that may suspend on approvals runs and resumes (issue 16). */
  readonly batches?: LoopBatches;
  /** Continues a loop that stopped `awaiting-approval` (issue 16): no request is built then. */
  readonly resume?: ToolLoopCheckpoint;
  /** The decisions a resume passes. */
  readonly decisions?: readonly unknown[];
  /** More `runToolLoop` options, passed as given (invalid ones too). */
  readonly more?: Readonly<Record<string, unknown>>;
  /**
   * Wraps each `send`: gets the step and the SDK call, returns what `send` returns. Used to abort
   * at a chosen moment (before the request, after it, inside the stream).
   */
  readonly around?: (step: number, call: () => Promise<unknown>) => Promise<unknown>;
}

/** One vendor protocol as the loop tests drive it: the real SDK against the loopback server. */
export interface LoopVendor {
  /** The adapter's provider name. */
  readonly name: string;
  /** The loopback server to start. */
  readonly server: VendorName;
  /** Whether the vendor's SSE ends with `data: [DONE]`. */
  readonly doneFrame: boolean;
  /** Runs `runToolLoop` with the vendor's SDK and adapter. */
  run(setup: LoopSetup): Promise<ToolLoopResult>;
  /** The problems the vendor's published schema finds in a request carrying `history`. */
  validateHistory(history: readonly unknown[]): string[];
}

const QUESTION = "Run the tools.";

type GeminiAnswer = GenerateContentResponse | AsyncGenerator<GenerateContentResponse>;

/** `send` with the setup's wrapper around the SDK call, typed as the adapter wants it. */
function sendWith<Request, Answer>(
  setup: LoopSetup,
  call: (request: Request, signal: AbortSignal | undefined) => Promise<Answer>,
) {
  return (request: Request, context: { step: number; signal: AbortSignal | undefined }) => {
    const signal = setup.signalToSdk ? context.signal : undefined;
    const sent = () => call(request, signal);
    return (setup.around ? setup.around(context.step, sent) : sent()) as Promise<Answer>;
  };
}

/** The vendor's first request, or the checkpoint a resume continues from. */
function startFrom<Request>(setup: LoopSetup, request: Request) {
  return setup.resume
    ? { resume: setup.resume, decisions: setup.decisions ?? [] }
    : { request, resume: undefined };
}

const common = (setup: LoopSetup) => ({
  tools: setup.tools,
  ...(setup.signal ? { signal: setup.signal } : {}),
  ...(setup.maxSteps ? { maxSteps: setup.maxSteps } : {}),
  ...(setup.parallel === false ? { parallel: false } : {}),
  ...(setup.onEvent ? { onEvent: setup.onEvent } : {}),
  ...(setup.approve ? { approve: setup.approve } : {}),
  ...(setup.batches ? { batches: setup.batches } : {}),
  ...setup.more,
});

export const LOOP_VENDORS: readonly LoopVendor[] = [
  {
    name: "openai-chat",
    server: "openai",
    doneFrame: true,
    run(setup) {
      const client = new OpenAI({ apiKey: "test", baseURL: setup.url, maxRetries: 0 });
      const request: ChatCompletionCreateParams = {
        model: "scripted",
        messages: [{ role: "user", content: QUESTION }],
        stream: setup.stream,
      };
      return runToolLoop({
        adapter: openaiChat(),
        ...startFrom(setup, request),
        send: sendWith(setup, (body: ChatCompletionCreateParams, signal) =>
          client.chat.completions.create(body, signal ? { signal } : {}),
        ),
        ...common(setup),
      }) as Promise<ToolLoopResult>;
    },
    validateHistory: (history) =>
      openaiChatWire.validateRequest(
        openaiChatWire.withHistory({ model: "scripted", messages: [] }, history as never[]),
      ),
  },
  {
    name: "openai-responses",
    server: "openai",
    doneFrame: false,
    run(setup) {
      const client = new OpenAI({ apiKey: "test", baseURL: setup.url, maxRetries: 0 });
      const request: ResponseCreateParams = {
        model: "scripted",
        input: [{ role: "user", content: QUESTION }],
        store: false,
        stream: setup.stream,
      };
      return runToolLoop({
        adapter: openaiResponses(),
        ...startFrom(setup, request),
        send: sendWith(setup, (body: ResponseCreateParams, signal) =>
          client.responses.create(body, signal ? { signal } : {}),
        ),
        ...common(setup),
      }) as Promise<ToolLoopResult>;
    },
    validateHistory: (history) =>
      openaiResponsesWire.validateRequest(
        openaiResponsesWire.withHistory({ model: "scripted", input: [] }, history as never[]),
      ),
  },
  {
    name: "anthropic",
    server: "anthropic",
    doneFrame: false,
    run(setup) {
      const client = new Anthropic({ apiKey: "test", baseURL: setup.url, maxRetries: 0 });
      const request: MessageCreateParams = {
        model: "scripted",
        max_tokens: 1024,
        messages: [{ role: "user", content: QUESTION }],
        stream: setup.stream,
      };
      return runToolLoop({
        adapter: anthropic(),
        ...startFrom(setup, request),
        send: sendWith(setup, (body: MessageCreateParams, signal) =>
          client.messages.create(body, signal ? { signal } : {}),
        ),
        ...common(setup),
      }) as Promise<ToolLoopResult>;
    },
    validateHistory: (history) =>
      anthropicWire.validateRequest(
        anthropicWire.withHistory(
          { model: "scripted", max_tokens: 1024, messages: [] },
          history as never[],
        ),
      ),
  },
  {
    name: "google-genai",
    server: "google",
    doneFrame: false,
    run(setup) {
      const ai = new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: setup.url } });
      const request: GenerateContentParameters = { model: "scripted", contents: QUESTION };
      return runToolLoop({
        adapter: googleGenAI(),
        ...startFrom(setup, request),
        send: sendWith(setup, (body: GenerateContentParameters, signal): Promise<GeminiAnswer> => {
          const withSignal = signal
            ? { ...body, config: { ...body.config, abortSignal: signal } }
            : body;
          return setup.stream
            ? ai.models.generateContentStream(withSignal)
            : ai.models.generateContent(withSignal);
        }),
        ...common(setup),
      }) as Promise<ToolLoopResult>;
    },
    validateHistory: (history) =>
      geminiWire.validateRequest(geminiWire.withHistory({ contents: [] }, history as never[])),
  },
  {
    name: "google-generative-ai",
    server: "google",
    doneFrame: false,
    run(setup) {
      const model = new GoogleGenerativeAI("test").getGenerativeModel(
        { model: "scripted" },
        { baseUrl: setup.url },
      );
      const request: GenerateContentRequest = {
        contents: [{ role: "user", parts: [{ text: QUESTION }] }],
      };
      return runToolLoop({
        adapter: googleGenerativeAI({ onWarning: () => {} }),
        ...startFrom(setup, request),
        send: sendWith(setup, async (body: GenerateContentRequest, signal) => {
          const options = signal ? { signal } : {};
          return setup.stream
            ? model.generateContentStream(body, options)
            : (await model.generateContent(body, options)).response;
        }),
        ...common(setup),
      }) as Promise<ToolLoopResult>;
    },
    validateHistory: (history) =>
      geminiLegacyWire.validateRequest(
        geminiLegacyWire.withHistory({ contents: [] }, history as never[]),
      ),
  },
];

/** The SSE body a streamed reply sends, byte for byte, as the loopback server frames it. */
export function sseBytes(reply: ServerReply, doneFrame: boolean): Uint8Array | undefined {
  if (reply.kind !== "sse-events") return undefined;
  const done = (reply.done ?? doneFrame) ? "data: [DONE]\n\n" : "";
  return new TextEncoder().encode(reply.events.map(frameSseEvent).join("") + done);
}

/** How a counting tool works on a call. */
export interface ToolWork {
  /** Wait until the call's signal aborts. */
  readonly hang?: (call: ToolCall) => boolean;
  /** Work this many ms (or until the signal aborts) on the n-th call that starts, 0-based. */
  readonly delayMs?: (started: number) => number;
  /** Runs as the n-th call starts, 0-based, before it works. */
  readonly onStart?: (started: number) => void;
}

/**
 * Tools that count their runs: `executions` holds the id of each call that started, in start
 * order, so a test can check that every call that ran reached the caller.
 */
export function countingTools(work: ToolWork = {}) {
  const executions: string[] = [];
  const make = (name: string) =>
    defineTool({
      name,
      description: `The ${name} tool.`,
      input: jsonSchema({ type: "object", additionalProperties: true }),
      execute: async (input, { call, signal }) => {
        const started = executions.push(call.id) - 1;
        work.onStart?.(started);
        const hang = work.hang?.(call) === true;
        const ms = work.delayMs?.(started) ?? 0;
        if (hang || ms > 0) {
          await new Promise<void>((resolve) => {
            const timer = hang ? undefined : setTimeout(resolve, ms);
            signal.addEventListener(
              "abort",
              () => {
                clearTimeout(timer);
                resolve();
              },
              { once: true },
            );
          });
        }
        return { tool: name, input };
      },
    });
  return { executions, tools: [make("lookup"), make("write")] };
}
