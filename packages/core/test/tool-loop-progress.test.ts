import { describe, expect, it } from "vitest";
import {
  defineTool,
  InvalidOptionError,
  jsonSchema,
  resumableBatches,
  runToolLoop,
  type TokenUsage,
  ToolLoopError,
} from "../src/index.js";
import {
  answer,
  type FakeRequest,
  type FakeTurn,
  fakeAdapter,
  firstRequest,
  pay,
  streamOf,
} from "./fake-loop-adapter.js";

// Issue 18: the loop's result reads the same on every vendor (text, usage summed over steps) and
// reports its progress (start, text deltas, finish), on a vendor protocol of our own with exact token counts. The five real SDKs: test/ at the root.

const lookup = defineTool({
  name: "lookup",
  description: "Looks a city up.",
  input: jsonSchema<{ city?: string }>({ type: "object" }),
  execute: ({ city }) => `found ${city}`,
});
const request = firstRequest;
const u = (inputTokens: number, outputTokens: number, more: Partial<TokenUsage> = {}) => ({
  inputTokens,
  outputTokens,
  ...more,
});

/** Three answers: two tool turns (text with the first), then the final text. */
const SCRIPT: readonly Omit<FakeTurn, "kind">[] = [
  {
    text: "Looking.",
    calls: [{ name: "lookup", input: { city: "Paris" } }],
    usage: u(10, 5, { cachedInputTokens: 4 }),
  },
  { calls: [{ name: "lookup", input: { city: "Oslo" } }], usage: u(20, 6, { reasoningTokens: 2 }) },
  { text: "Paris and Oslo.", usage: u(30, 7) },
];

/** `send` answering step n with SCRIPT[n] (or `script[n]`), whole or streamed; the requests sent. */
function scripted(stream: boolean, script = SCRIPT) {
  const sent: FakeRequest[] = [];
  const send = (body: FakeRequest, { step }: { step: number }) => {
    sent.push(body);
    const turn = script[step] ?? { text: "?" };
    const words = turn.text?.split(/(?<= )/) ?? [];
    return stream ? streamOf(turn, words) : answer(turn);
  };
  return { sent, send };
}

describe.each([false, true])("runToolLoop's text and usage (streamed: %s)", (stream) => {
  it("keeps each step's text and usage, the final text, and the usage summed with every count", async () => {
    const { send } = scripted(stream);
    const result = await runToolLoop({ adapter: fakeAdapter(), tools: [lookup], request, send });
    expect(result.stopReason).toBe("done");
    expect(result.steps.map((step) => [step.text, step.usage])).toStrictEqual(
      SCRIPT.map((turn) => [turn.text, turn.usage]),
    );
    expect(result.text).toBe("Paris and Oslo.");
    expect(result.usage).toStrictEqual({
      inputTokens: 60,
      outputTokens: 18,
      cachedInputTokens: 4,
      reasoningTokens: 2,
    });
  });

  it("has no usage where the vendor reported none, and no text for a turn without any", async () => {
    const { send } = scripted(stream, [{ calls: [{ name: "lookup" }] }, {}]);
    const result = await runToolLoop({ adapter: fakeAdapter(), tools: [lookup], request, send });
    expect(result.usage).toBeUndefined();
    expect(result.text).toBeUndefined();
    expect(result.steps.map((step) => [step.text, step.usage])).toStrictEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it("keeps text and usage on max-steps, on an abort and in a ToolLoopError's partial result", async () => {
    const { send } = scripted(stream);
    const limited = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [lookup],
      request,
      send,
      maxSteps: 1,
    });
    expect([limited.stopReason, limited.text, limited.usage]).toStrictEqual([
      "max-steps",
      "Looking.",
      SCRIPT[0]?.usage,
    ]);

    const controller = new AbortController();
    const aborted = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [lookup],
      request,
      send: (body, context) => {
        if (context.step === 1) controller.abort();
        return send(body, context);
      },
      signal: controller.signal,
    });
    expect([aborted.stopReason, aborted.text, aborted.usage]).toStrictEqual([
      "aborted",
      "Looking.",
      SCRIPT[0]?.usage,
    ]);

    const failure = new Error("503");
    const run = runToolLoop({
      adapter: fakeAdapter(),
      tools: [lookup],
      request,
      send: (body, context) => (context.step === 1 ? Promise.reject(failure) : send(body, context)),
    });
    const error = await run.catch((thrown: unknown) => thrown);
    expect(ToolLoopError.isInstance(error)).toBe(true);
    const partial = (error as ToolLoopError).result;
    expect([partial.text, partial.usage, partial.steps.length]).toStrictEqual([
      "Looking.",
      SCRIPT[0]?.usage,
      1,
    ]);
  });

  it("counts the suspended turn's usage when the loop stops awaiting approval", async () => {
    const { send } = scripted(stream, [
      { text: "Paying.", calls: [{ name: "lookup" }, { name: "pay" }], usage: u(3, 2) },
    ]);
    const result = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [lookup, pay],
      request,
      send,
      batches: resumableBatches(),
    });
    expect(result.stopReason).toBe("awaiting-approval");
    expect([result.text, result.usage, result.steps.length]).toStrictEqual(["Paying.", u(3, 2), 0]);
  });
});

describe("runToolLoop's progress hooks", () => {
  it.each([
    ["streamed, with textOf", true, true],
    ["streamed, without textOf", true, false],
    ["not streamed", false, true],
  ] as const)(
    "reports start, text deltas, events and finish in order (%s)",
    async (_name, stream, textOf) => {
      const { send } = scripted(stream);
      const seen: string[] = [];
      const deltas: string[][] = [[], [], []];
      const result = await runToolLoop({
        adapter: fakeAdapter({ textOf }),
        tools: [lookup],
        request,
        send,
        onStepStart: ({ step, request: sent }) =>
          seen.push(`start ${step} (${sent.messages.length})`),
        onTextDelta: (delta, { step }) => {
          deltas[step]?.push(delta);
          seen.push(`text ${step}`);
        },
        // The executor's batch-end of a turn without calls is its own business: calls only.
        onEvent: (event) => {
          if (event.type.startsWith("call-")) seen.push(`${event.type} ${event.step}`);
        },
        onStepFinish: (step) => seen.push(`finish ${step.index} ${step.usage?.inputTokens}`),
      });
      const texts = (step: number) => {
        const pieces = deltas[step]?.length ?? 0;
        return Array.from({ length: pieces }, () => `text ${step}`);
      };
      // A streamed call starts as soon as it is complete; without textOf, the text comes whole
      // once the stream ended, so after it.
      const late = stream && !textOf;
      expect(seen).toStrictEqual([
        "start 0 (1)",
        ...(late ? [] : texts(0)),
        "call-start 0",
        "call-end 0",
        ...(late ? texts(0) : []),
        "finish 0 10",
        "start 1 (3)",
        "call-start 1",
        "call-end 1",
        "finish 1 20",
        "start 2 (5)",
        ...texts(2),
        "finish 2 30",
      ]);
      // The deltas of a step, joined, are its text: word by word while it streams with textOf.
      expect(deltas.map((pieces) => pieces.join(""))).toStrictEqual([
        "Looking.",
        "",
        "Paris and Oslo.",
      ]);
      expect(deltas[2]).toHaveLength(stream && textOf ? 3 : 1);
      expect(result.text).toBe(deltas[2]?.join(""));
    },
  );

  it.each([
    ["onStepStart", 0, 0],
    ["onTextDelta", 0, 1],
    ["onStepFinish", 0, 1],
    ["stopWhen", 0, 1],
  ] as const)(
    "a %s that throws stops the loop with a ToolLoopError; no call that ran is lost",
    async (hook, step, finished) => {
      const { send, sent } = scripted(false);
      const failure = new Error(`${hook} broke`);
      const ran: string[] = [];
      const counted = defineTool({
        name: "lookup",
        description: "Looks a city up.",
        input: jsonSchema<{ city?: string }>({ type: "object" }),
        execute: ({ city }: { city?: string }) => {
          ran.push(String(city));
          return "found";
        },
      });
      const run = runToolLoop({
        adapter: fakeAdapter(),
        tools: [counted],
        request,
        send,
        [hook]: () => {
          throw failure;
        },
      });
      const error = await run.catch((thrown: unknown) => thrown);
      expect(ToolLoopError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ cause: failure, step });
      const { result } = error as ToolLoopError<FakeRequest>;
      // onStepStart: nothing sent. The others: the step ran, is finished and in the history.
      expect(sent).toHaveLength(finished ? 1 : 0);
      expect(ran).toStrictEqual(finished ? ["Paris"] : []);
      expect(result.steps.map((s) => s.results.map((r) => r.ok))).toStrictEqual(
        finished ? [[true]] : [],
      );
      expect(result.history).toHaveLength(finished ? 3 : 1);
    },
  );

  it("a throwing onTextDelta while a turn streams lets the turn end: its calls run and are answered", async () => {
    const { send } = scripted(true);
    let calls = 0;
    const run = runToolLoop({
      adapter: fakeAdapter(),
      tools: [lookup],
      request,
      send,
      onTextDelta: () => {
        calls++;
        throw new Error("render failed");
      },
    });
    const error = (await run.catch((thrown: unknown) => thrown)) as ToolLoopError;
    expect(error.step).toBe(0);
    expect(calls).toBe(1);
    expect(error.result.steps[0]?.results).toStrictEqual([
      { callId: "s0_0", name: "lookup", ok: true, output: "found Paris" },
    ]);
  });

  it("refuses a hook that is not a function before anything is sent", async () => {
    for (const hook of ["onStepStart", "onTextDelta", "onStepFinish", "prepareStep", "stopWhen"]) {
      const { send, sent } = scripted(false);
      const run = runToolLoop({
        adapter: fakeAdapter(),
        tools: [lookup],
        request,
        send,
        [hook]: "yes",
      });
      await expect(run).rejects.toThrow(InvalidOptionError);
      await expect(run).rejects.toMatchObject({ option: hook });
      expect(sent).toHaveLength(0);
    }
  });
});
