import { defineTool, executeBatch, type ToolCall, type ToolResult } from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { z } from "zod";
import { argumentsOf, chatChunkFrame, sseFetch } from "./support/chat-stream-fixture.js";
import { quick } from "./support/compare.js";

/** One strategy's wall time against the latency limit. */
export interface EagerRow {
  readonly strategy: string;
  readonly medianMs: number;
  readonly limitMs: number;
  readonly ratio: number;
  readonly goal?: number;
}

const scale = quick ? 0.1 : 1;
const GAP_MS = 100 * scale;
const TOOL_MS = [400, 50, 250, 100].map((ms) => ms * scale);

/** An SSE stream that sends call i at i x GAP_MS; call i is complete when call i+1 starts. */
function pacedStream(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const frame = (choice: unknown) => encoder.encode(chatChunkFrame(choice));
  let step = 0;
  return new ReadableStream({
    async pull(controller) {
      if (step > 0) await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      if (step < TOOL_MS.length) {
        const index = step;
        controller.enqueue(
          frame({
            index: 0,
            delta: {
              tool_calls: [
                {
                  index,
                  id: `call_${index}`,
                  type: "function",
                  function: { name: "work", arguments: argumentsOf(index, 64) },
                },
              ],
            },
            finish_reason: null,
          }),
        );
      } else {
        controller.enqueue(frame({ index: 0, delta: {}, finish_reason: "tool_calls" }));
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      }
      step++;
    },
  });
}

const work = defineTool({
  name: "work",
  description: "takes a while",
  input: z.object({ call: z.number() }),
  execute: ({ call }) => new Promise((resolve) => setTimeout(() => resolve(call), TOOL_MS[call])),
});

async function runOnce(eager: boolean): Promise<number> {
  const client = new OpenAI({ apiKey: "bench", fetch: sseFetch(pacedStream), maxRetries: 0 });
  const start = performance.now();
  const assembler = openaiChat().createStreamAssembler();
  const running: Array<Promise<ToolResult[]>> = [];
  const runCall = (call: ToolCall) =>
    executeBatch(
      { provider: "bench", complete: true, turn: null, calls: [{ ...call, index: 0 }] },
      [work],
    );
  for await (const chunk of await client.chat.completions.create({
    model: "m",
    messages: [],
    stream: true,
  })) {
    for (const call of assembler.push(chunk)) if (eager) running.push(runCall(call));
  }
  const batch = assembler.finish();
  if (eager) await Promise.all(running);
  else await executeBatch(batch, [work]);
  return performance.now() - start;
}

/** Calls completing GAP_MS apart in the stream, tools of unequal length. */
export async function eagerExecution(): Promise<EagerRow[]> {
  // Call i is complete when call i+1 starts (or the finish reason comes), at (i + 1) x GAP_MS.
  const limitMs = Math.max(...TOOL_MS.map((toolMs, i) => (i + 1) * GAP_MS + toolMs));
  const runs = quick ? 1 : 7;
  const measure = async (eager: boolean) => {
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) samples.push(await runOnce(eager));
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
  };
  const eagerMs = await measure(true);
  const afterMs = await measure(false);
  return [
    {
      strategy: "eager: each call runs when push() reports it complete",
      medianMs: eagerMs,
      limitMs,
      ratio: eagerMs / limitMs,
      goal: 1.02,
    },
    { strategy: "run after stream end", medianMs: afterMs, limitMs, ratio: afterMs / limitMs },
  ];
}
