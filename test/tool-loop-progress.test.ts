import { scriptedToolModel, startVendorServer } from "@toolbatch/contract";
import {
  addTokenUsage,
  stopAfterTool,
  type TokenUsage,
  type ToolLoopError,
  type ToolLoopStep,
} from "@toolbatch/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { expectNothingLost, outcomeOf } from "./support/loop-outcomes.js";
import { countingTools, LOOP_VENDORS, type LoopVendor } from "./support/loop-vendors.js";

// Issue 18: the loop's result and progress read the same on all five wires, through the real
// SDKs against the loopback servers: text and usage per step and summed, text deltas, the hooks'
// order, prepareStep changing the tools, stopWhen, a hook that throws.

const ANSWER = "Done: 2 results.";

/** The scripted model: a lookup and a write in one turn, then the answer. */
async function scripted(vendor: LoopVendor) {
  const started = await startVendorServer({
    vendor: vendor.server,
    replies: scriptedToolModel({
      calls: [
        { name: "lookup", arguments: { city: "Paris" } },
        { name: "write", arguments: { note: "saved" } },
      ],
      answer: (results) => `Done: ${results.length} results.`,
    }),
  });
  onTestFinished(() => started.close());
  return started;
}

/**
 * The usage the loopback server reports per turn: only its Anthropic wire sends one (`usage:
 * { input_tokens: 1, output_tokens: 1 }`, streamed in message_start and message_delta); summing
 * exact counts is tested on core's fake vendor (packages/core/test/tool-loop-progress.test.ts).
 */
const usagePerTurn = (vendor: LoopVendor): TokenUsage | undefined =>
  vendor.name === "anthropic" ? { inputTokens: 1, outputTokens: 1 } : undefined;

/** The tool names a request declares, whatever the vendor's declaration shape. */
function declared(body: unknown): string[] {
  const tools = (body as { tools?: readonly Record<string, unknown>[] }).tools ?? [];
  return tools.flatMap((tool) => {
    const declarations = tool.functionDeclarations as readonly { name: string }[] | undefined;
    if (declarations) return declarations.map((declaration) => declaration.name);
    const fn = tool.function as { name: string } | undefined;
    return [fn?.name ?? String(tool.name)];
  });
}

const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop's result and progress (%s)", (_name, vendor) => {
  it.each([false, true])(
    "text and usage per step and summed; deltas join to the text; start → deltas → events → finish (streamed: %s)",
    async (stream) => {
      const started = await scripted(vendor);
      const { tools } = countingTools();
      const seen: string[] = [];
      const deltas: string[] = [];
      const result = await vendor.run({
        url: started.url,
        tools,
        stream,
        onEvent: (event) => {
          // The executor's batch-end of a turn without calls is its own business: calls only.
          if (event.type.startsWith("call-")) seen.push(`events ${event.step}`);
        },
        more: {
          onStepStart: ({ step }: { step: number }) => seen.push(`start ${step}`),
          onTextDelta: (delta: string, { step }: { step: number }) => {
            deltas.push(delta);
            seen.push(`text ${step}`);
          },
          onStepFinish: (step: ToolLoopStep) => seen.push(`finish ${step.index}`),
        },
      });
      expect(result.stopReason).toBe("done");
      // However many events carried text, and however the calls' events interleave.
      expect(seen.filter((entry, i) => entry !== seen[i - 1])).toStrictEqual([
        "start 0",
        "events 0",
        "finish 0",
        "start 1",
        "text 1",
        "finish 1",
      ]);
      expect(deltas.join("")).toBe(ANSWER);
      expect(result.text).toBe(ANSWER);
      expect(result.steps.map((step) => step.text)).toStrictEqual([undefined, ANSWER]);
      const each = usagePerTurn(vendor);
      expect(result.steps.map((step) => step.usage)).toStrictEqual([each, each]);
      expect(result.steps.map((step) => step.usage)).toStrictEqual(
        result.steps.map((step) => step.batch.usage),
      );
      expect(result.usage).toStrictEqual(addTokenUsage(each, each));
    },
  );

  it.each([false, true])(
    "prepareStep changes the tools between steps: declared in the request, and a call to a removed tool is unknown_tool (streamed: %s)",
    async (stream) => {
      const started = await scripted(vendor);
      const { executions, tools } = countingTools();
      const [lookup] = tools;
      const result = await vendor.run({
        url: started.url,
        tools,
        stream,
        more: {
          // Step 0 without write (the scripted model calls it all the same); step 1 as the loop.
          prepareStep: ({ step }: { step: number }) =>
            step === 0 ? { tools: [lookup] } : undefined,
        },
      });
      expect(result.stopReason).toBe("done");
      expect(started.requests.map((request) => declared(request.body))).toStrictEqual([
        ["lookup"],
        ["lookup", "write"],
      ]);
      const codes = result.steps[0]?.results.map((r) => (r.ok ? "ok" : r.error.code));
      expect(codes).toStrictEqual(["ok", "unknown_tool"]);
      expect(executions).toHaveLength(1);
      expect(vendor.validateHistory(result.history)).toStrictEqual([]);
    },
  );

  it.each([false, true])(
    "stopWhen: stopAfterTool stops after the step the tool ran in, the history valid (streamed: %s)",
    async (stream) => {
      const started = await scripted(vendor);
      const { executions, tools } = countingTools();
      const result = await vendor.run({
        url: started.url,
        tools,
        stream,
        more: { stopWhen: stopAfterTool("write") },
      });
      expect(result.stopReason).toBe("stopped");
      expect(started.requests).toHaveLength(1);
      expect(executions).toHaveLength(2);
      expect(result.steps).toHaveLength(1);
      expect(result.text).toBeUndefined();
      expect(result.usage).toStrictEqual(usagePerTurn(vendor));
      // The history ends with the turn's results: the vendor takes it as the next request.
      expect(vendor.validateHistory(result.history)).toStrictEqual([]);
    },
  );

  it.each([false, true])(
    "a hook that throws stops the loop with a ToolLoopError once its step finished; nothing is lost (streamed: %s)",
    async (stream) => {
      const started = await scripted(vendor);
      const { executions, tools } = countingTools();
      const broken = new Error("the UI broke");
      const finishing = await outcomeOf(
        vendor.run({
          url: started.url,
          tools,
          stream,
          more: {
            onStepFinish: () => {
              throw broken;
            },
          },
        }),
      );
      expect(finishing.kind).toBe("error");
      const error = (finishing as { error: ToolLoopError }).error;
      expect([error.step, error.cause]).toStrictEqual([0, broken]);
      expect(started.requests).toHaveLength(1);
      expect(error.result.steps[0]?.results.every((result) => result.ok)).toBe(true);
      expectNothingLost(vendor, finishing, executions);

      // A text hook throws on the final answer: the loop had stopped there anyway, and says so.
      const again = countingTools();
      const texting = await outcomeOf(
        vendor.run({
          url: started.url,
          tools: again.tools,
          stream,
          more: {
            onTextDelta: () => {
              throw broken;
            },
          },
        }),
      );
      const textError = (texting as { error: ToolLoopError }).error;
      expect([textError.step, textError.cause]).toStrictEqual([1, broken]);
      expect(textError.result).toMatchObject({ stopReason: "done", text: ANSWER });
      expect(textError.result.steps).toHaveLength(2);
      expectNothingLost(vendor, texting, again.executions);
    },
  );
});
