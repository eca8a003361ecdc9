import type { Content, GenerateContentResponse, Part } from "@google/genai";
import {
  jsonReply,
  loadRecordings,
  type Recording,
  type ReplyScript,
  startVendorServer,
  type VendorServer,
} from "@toolbatch/contract";
import {
  type CallIdGenerator,
  createCallIdGenerator,
  defineTool,
  type StreamAssembler,
  type ToolCall,
} from "@toolbatch/core";
import { afterEach } from "vitest";
import { z } from "zod";

/** A recorded Gemini exchange by key (`gm1` ...). */
export const recording = (key: string): Recording => {
  const found = loadRecordings("gemini").find((entry) => entry.key === key);
  if (!found) throw new Error(`no recording ${key}`);
  return found;
};

/** A `functionCall` part, with an id and part-level fields (a thoughtSignature) when given. */
export const call = (
  name: string,
  args: Record<string, unknown>,
  extra: { id?: string; thoughtSignature?: string } = {},
): Part => ({
  functionCall: { ...(extra.id ? { id: extra.id } : {}), name, args },
  ...(extra.thoughtSignature ? { thoughtSignature: extra.thoughtSignature } : {}),
});

/** A response (or stream chunk) whose candidate 0 holds these parts. */
export function response(
  parts: Part[] | undefined,
  candidate: { finishReason?: string | null; finishMessage?: string; role?: string | null } = {},
): GenerateContentResponse {
  const finishReason = candidate.finishReason === undefined ? "STOP" : candidate.finishReason;
  const role = candidate.role === undefined ? "model" : candidate.role;
  return {
    candidates: [
      {
        ...(parts ? { content: { ...(role ? { role } : {}), parts } } : {}),
        ...(finishReason ? { finishReason } : {}),
        ...(candidate.finishMessage ? { finishMessage: candidate.finishMessage } : {}),
      },
    ],
  } as GenerateContentResponse;
}

/** The parts of a follow-up's results content. */
export const responsesOf = (followUp: readonly Content[]) =>
  (followUp[1]?.parts ?? []).map((part) => part.functionResponse);

/**
 * An id generator whose ids depend only on how many it has made, so two adapters given one each
 * synthesize the same ids for the same turn.
 */
export function countingIds(): CallIdGenerator {
  let counter = 0;
  return createCallIdGenerator({
    randomBytes: (size) => Uint8Array.from({ length: size }, () => counter++ % 248),
  });
}

/** The arithmetic tools the recordings call; they answer what the recorded follow-ups sent. */
export const arithmetic = [
  defineTool({
    name: "add",
    description: "Add two numbers",
    input: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => ({ result: String(a + b) }),
  }),
  defineTool({
    name: "multiply",
    description: "Multiply two numbers",
    input: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => ({ result: String(a * b) }),
  }),
];

/** The tool gm10 calls three times, and a few tests more. */
export const sum = defineTool({
  name: "sum",
  description: "Add x and y",
  input: z.object({ x: z.number(), y: z.number() }),
  execute: ({ x, y }) => x + y,
});

/** The question the recorded turns answer, a Content of either SDK. */
export const question: { role: string; parts: { text: string }[] }[] = [
  { role: "user", parts: [{ text: "Add and multiply the number 2 and 3" }] },
];

/** A final text answer, for the request that carries the results. */
export const finalAnswer = jsonReply({
  candidates: [{ content: { role: "model", parts: [{ text: "5 and 6." }] }, finishReason: "STOP" }],
});

/**
 * Starts Google loopback servers for the tests of one file: each call closes the previous server
 * and starts a new one; the last is closed after each test.
 */
export function googleServers(): (replies: ReplyScript) => Promise<VendorServer> {
  let current: VendorServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (replies) => {
    await current?.close();
    current = await startVendorServer({ vendor: "google", replies });
    return current;
  };
}

/** Feeds a stream from an SDK to a new assembler of the adapter; the batch and what was reported. */
export async function assembleFrom<Event, Turn>(
  adapter: { createStreamAssembler(): StreamAssembler<Event, Turn> },
  stream: AsyncIterable<Event>,
) {
  const assembler = adapter.createStreamAssembler();
  const reported: ToolCall[] = [];
  for await (const event of stream) reported.push(...assembler.push(event));
  return { batch: assembler.finish(), reported };
}

/** The contents request `index` carried after the question. */
export const sentFollowUp = (server: VendorServer, index: number): Content[] =>
  ((server.requests[index]?.body ?? { contents: [] }) as { contents: Content[] }).contents.slice(
    question.length,
  );
