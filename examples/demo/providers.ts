import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { GoogleGenerativeAI } from "@google/generative-ai";
import { anthropic } from "@toolbatch/anthropic";
import {
  scriptedToolModel,
  startVendorServer,
  type VendorName,
  type VendorServer,
} from "@toolbatch/contract/server";
import type {
  AccessAudit,
  AnyTool,
  ExecutionEvent,
  LoopBatches,
  ResourceLimiter,
  ToolLoopCheckpoint,
  ToolLoopResult,
} from "@toolbatch/core";
import { runToolLoop } from "@toolbatch/core";
import { googleGenAI, googleGenerativeAI } from "@toolbatch/google";
import { openaiChat, openaiResponses } from "@toolbatch/openai";
import OpenAI from "openai";
import { CITIES } from "./lookup-tools.js";

/** One provider of the demo: how it runs the same tools through its own SDK. */
export interface DemoProvider {
  readonly name: string;
  /** Set it to run against the real API instead of the offline scripted model. */
  readonly apiKeyVariable: string;
  readonly vendor: VendorName;
  /** Runs the whole tool loop; `baseURL` is the loopback server's, or undefined for the real API. */
  run(options: DemoRunOptions): Promise<ToolLoopResult<unknown, unknown, unknown>>;
}

/** What every provider's run gets. */
export interface DemoRunOptions {
  readonly tools: readonly AnyTool[];
  readonly parallel: boolean;
  readonly baseURL: string | undefined;
  readonly apiKey: string;
  readonly onEvent: (event: ExecutionEvent & { step: number }) => void;
  /** What the user asks; default {@link PROMPT}. */
  readonly prompt?: string;
  /** `resumableBatches(...)`: lets the loop suspend on approvals, and resume. */
  readonly batches?: LoopBatches;
  /** Resume this checkpoint with `decisions` instead of sending a first request. */
  readonly resume?: ToolLoopCheckpoint;
  readonly decisions?: readonly unknown[];
  /** The access audit (`createAccessAudit`): each step's `access` record (see describe-access.ts). */
  readonly audit?: AccessAudit;
  /** The shared resources' budgets (`createResourceLimiter`). */
  readonly limiter?: ResourceLimiter;
}

export const PROMPT = `Look up ${CITIES.join(", ")} with lookup_city (all four at once), then compare them in one sentence.`;

/** The scripted model: the four lookups in one turn (one per turn when parallel calls are off), then an answer. */
export function startScriptedServer(vendor: VendorName): Promise<VendorServer> {
  return startVendorServer({
    vendor,
    replies: scriptedToolModel({
      calls: CITIES.map((city) => ({ name: "lookup_city", arguments: { city } })),
      answer: (results) => `Offline answer from ${results.length} lookups: ${results.join(" ")}`,
      gapMs: 80,
    }),
  });
}

/**
 * The loop's options every provider shares: the first request, built from the prompt by the
 * provider, or the checkpoint and decisions to resume from (its request is in the checkpoint).
 */
function loopOptions<Request>(options: DemoRunOptions, request: (prompt: string) => Request) {
  const { tools, parallel, onEvent, batches, resume, decisions, audit, limiter } = options;
  const shared = { tools, parallel, onEvent, batches, audit, limiter };
  return resume
    ? { ...shared, resume, decisions }
    : { ...shared, request: request(options.prompt ?? PROMPT) };
}

const openaiClient = ({ baseURL, apiKey }: DemoRunOptions) =>
  new OpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), maxRetries: baseURL ? 0 : 2 });

export const providers: DemoProvider[] = [
  {
    name: "OpenAI Chat Completions",
    apiKeyVariable: "OPENAI_API_KEY",
    vendor: "openai",
    run: (options) => {
      const client = openaiClient(options);
      return runToolLoop({
        adapter: openaiChat(),
        ...loopOptions(options, (content) => ({
          model: "gpt-4.1-mini",
          stream: true,
          messages: [{ role: "user" as const, content }],
        })),
        send: (request) => client.chat.completions.create({ ...request, stream: true }),
      }) as Promise<ToolLoopResult<unknown, unknown, unknown>>;
    },
  },
  {
    name: "Anthropic Messages",
    apiKeyVariable: "ANTHROPIC_API_KEY",
    vendor: "anthropic",
    run: (options) => {
      const client = new Anthropic({
        apiKey: options.apiKey,
        ...(options.baseURL ? { baseURL: options.baseURL, maxRetries: 0 } : {}),
      });
      return runToolLoop({
        adapter: anthropic(),
        ...loopOptions(options, (content) => ({
          model: "claude-sonnet-5",
          max_tokens: 1024,
          messages: [{ role: "user" as const, content }],
        })),
        send: (request) => client.messages.create({ ...request, stream: true }),
      }) as Promise<ToolLoopResult<unknown, unknown, unknown>>;
    },
  },
  {
    name: "OpenAI Responses",
    apiKeyVariable: "OPENAI_API_KEY",
    vendor: "openai",
    run: (options) => {
      const client = openaiClient(options);
      return runToolLoop({
        adapter: openaiResponses(),
        ...loopOptions(options, (input) => ({ model: "gpt-4.1-mini", store: false, input })),
        send: (request) => client.responses.create({ ...request, stream: true }),
      }) as Promise<ToolLoopResult<unknown, unknown, unknown>>;
    },
  },
  {
    name: "Gemini (@google/genai)",
    apiKeyVariable: "GEMINI_API_KEY",
    vendor: "google",
    run: (options) => {
      const ai = new GoogleGenAI({
        apiKey: options.apiKey,
        ...(options.baseURL ? { httpOptions: { baseUrl: options.baseURL } } : {}),
      });
      return runToolLoop({
        adapter: googleGenAI(),
        ...loopOptions(options, (contents) => ({ model: "gemini-2.5-flash", contents })),
        send: (request) => ai.models.generateContentStream(request),
      }) as Promise<ToolLoopResult<unknown, unknown, unknown>>;
    },
  },
  {
    name: "Gemini (legacy SDK)",
    apiKeyVariable: "GEMINI_API_KEY",
    vendor: "google",
    run: (options) => {
      const model = new GoogleGenerativeAI(options.apiKey).getGenerativeModel(
        { model: "gemini-2.5-flash" },
        options.baseURL ? { baseUrl: options.baseURL } : {},
      );
      return runToolLoop({
        adapter: googleGenerativeAI(),
        ...loopOptions(options, (text) => ({ contents: [{ role: "user", parts: [{ text }] }] })),
        send: (request) => model.generateContentStream(request),
      }) as Promise<ToolLoopResult<unknown, unknown, unknown>>;
    },
  },
];
