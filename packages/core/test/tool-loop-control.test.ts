import { describe, expect, it } from "vitest";
import {
  type AnyTool,
  defineTool,
  InvalidOptionError,
  jsonSchema,
  MissingApprovalHandlerError,
  resumableBatches,
  runToolLoop,
  stopAfterTool,
  ToolLoopError,
} from "../src/index.js";
import {
  answer,
  type FakeRequest,
  type FakeTurn,
  fakeAdapter,
  firstRequest,
  pay,
} from "./fake-loop-adapter.js";

// Issue 18: prepareStep changes a step's tools, parallel switch and request; stopWhen stops the
// loop after a step. On a vendor protocol of our own; the five real SDKs: test/ at the root.

const make = (name: string, ran: string[] = []) =>
  defineTool({
    name,
    description: `The ${name} tool.`,
    input: jsonSchema<Record<string, unknown>>({ type: "object" }),
    execute: () => {
      ran.push(name);
      return `${name} done`;
    },
  });

const gated: AnyTool = pay;
const request = firstRequest;

function scripted(script: readonly Omit<FakeTurn, "kind">[]) {
  const sent: FakeRequest[] = [];
  const send = (body: FakeRequest, { step }: { step: number }) => {
    sent.push(body);
    return answer(script[step] ?? { text: "done" });
  };
  return { sent, send };
}

const turns = (...names: readonly string[][]) =>
  names.map((calls) => ({ calls: calls.map((name) => ({ name })) }));

describe("runToolLoop's prepareStep", () => {
  it("changes a step's tools, switch and request: declared and run for that step only", async () => {
    const ran: string[] = [];
    const [search, write] = [make("search", ran), make("write", ran)];
    const { sent, send } = scripted(turns(["search"], ["search", "write"], ["write"]));
    const seen: { step: number; steps: number; tools: string[] }[] = [];
    const result = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [search, write],
      request: { ...request, choice: "auto" },
      send,
      prepareStep: ({ step, steps, tools }) => {
        seen.push({ step, steps: steps.length, tools: tools.map((tool) => tool.name) });
        if (step !== 1) return undefined;
        return {
          tools: [write],
          parallel: false,
          request: (body) => ({ ...body, choice: "required" }),
        };
      },
    });
    expect(result.stopReason).toBe("done");
    expect(seen).toStrictEqual([
      { step: 0, steps: 0, tools: ["search", "write"] },
      { step: 1, steps: 1, tools: ["search", "write"] },
      { step: 2, steps: 2, tools: ["search", "write"] },
      { step: 3, steps: 3, tools: ["search", "write"] },
    ]);
    expect(sent.map((body) => [body.tools, body.parallel, body.choice])).toStrictEqual([
      [["search", "write"], true, "auto"],
      [["write"], false, "required"],
      [["search", "write"], true, "auto"],
      [["search", "write"], true, "auto"],
    ]);
    // The history sent is the loop's, whatever the request change did.
    expect(sent[1]?.messages).toHaveLength(3);
    // Step 1 ran without search: its call is answered unknown_tool, the other runs.
    expect(result.steps[1]?.results.map((r) => (r.ok ? r.output : r.error.code))).toStrictEqual([
      "unknown_tool",
      "write done",
    ]);
    expect(ran).toStrictEqual(["search", "write", "write"]);
  });

  type BadAnswer = readonly [string, () => unknown, abstract new (...args: never[]) => Error];
  it.each<BadAnswer>([
    ["not an object", () => 3, InvalidOptionError],
    ["tools not an array", () => ({ tools: "search" }), InvalidOptionError],
    ["a request that is not a function", () => ({ request: {} }), InvalidOptionError],
    ["parallel not a boolean", () => ({ parallel: "no" }), InvalidOptionError],
    [
      "a tool needing approval without approve",
      () => ({ tools: [gated] }),
      MissingApprovalHandlerError,
    ],
    ["a rejection", () => Promise.reject(new Error("no")), Error],
  ])(
    "answering %s stops the loop with a ToolLoopError before the step is sent",
    async (_name, prepareStep, cause) => {
      const { sent, send } = scripted(turns(["search"]));
      const run = runToolLoop({
        adapter: fakeAdapter(),
        tools: [make("search")],
        request,
        send,
        prepareStep: ({ step }) => (step === 1 ? (prepareStep as () => undefined)() : undefined),
      });
      const error = (await run.catch((thrown: unknown) => thrown)) as ToolLoopError;
      expect(ToolLoopError.isInstance(error)).toBe(true);
      expect(error.step).toBe(1);
      expect(error.cause).toBeInstanceOf(cause);
      expect(sent).toHaveLength(1);
      expect(error.result.steps).toHaveLength(1);
      expect(error.result.history).toHaveLength(3);
    },
  );
});

describe("runToolLoop's stopWhen", () => {
  it("stopAfterTool stops after the step in which the tool answered with an output", async () => {
    const ran: string[] = [];
    const failing = defineTool({
      name: "final_answer",
      description: "Gives the answer.",
      input: jsonSchema<{ text?: string }>({ type: "object" }),
      execute: ({ text }) => {
        if (text === undefined) throw new Error("no text");
        return text;
      },
    });
    const sent: FakeRequest[] = [];
    // Step 0: a final answer that fails (the model may try again); step 1: one that answers.
    const script = [
      { calls: [{ name: "search" }, { name: "final_answer", input: {} }] },
      { calls: [{ name: "final_answer", input: { text: "42" } }] },
      { text: "never asked" },
    ];
    const result = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search", ran), failing],
      request,
      send: (body, { step }) => {
        sent.push(body);
        return answer(script[step] ?? {});
      },
      stopWhen: stopAfterTool("final_answer"),
    });
    expect(result.stopReason).toBe("stopped");
    expect(sent).toHaveLength(2);
    expect(result.steps.map((step) => step.results.map((r) => r.ok))).toStrictEqual([
      [true, false],
      [true],
    ]);
    // The history ends with the step's results: the next request may go on from it.
    expect(result.history.at(-1)).toMatchObject({ role: "tool", result: { output: "42" } });
    expect(result.request.messages).toStrictEqual(result.history);
  });

  it("is awaited, asked only after steps with calls, and before maxSteps", async () => {
    const asked: number[] = [];
    const { send } = scripted(turns(["search"], ["search"]));
    const result = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search")],
      request,
      send,
      maxSteps: 2,
      stopWhen: async ({ step, steps }) => {
        asked.push(step.index);
        expect(steps.at(-1)).toBe(step);
        return step.index === 1;
      },
    });
    expect([result.stopReason, asked]).toStrictEqual(["stopped", [0, 1]]);

    const done = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search")],
      request,
      send: scripted([{ text: "hi" }]).send,
      stopWhen: () => {
        throw new Error("never asked");
      },
    });
    expect(done.stopReason).toBe("done");
  });
});

describe("runToolLoop's errorText", () => {
  it("maps every step's error texts before the model reads them (executeBatch's errorText)", async () => {
    const secret = defineTool({
      name: "search",
      description: "Searches.",
      input: jsonSchema<Record<string, unknown>>({ type: "object" }),
      execute: () => {
        throw new Error("db password is hunter2");
      },
    });
    const { sent, send } = scripted(turns(["search"]));
    const result = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [secret],
      request,
      send,
      errorText: () => "The search failed.",
    });
    const answered = sent[1]?.messages.at(-1);
    expect(answered).toMatchObject({
      role: "tool",
      result: { ok: false, error: { message: "The search failed." } },
    });
    expect(result.steps[0]?.results[0]).toMatchObject({
      error: { code: "execution_failed", message: "The search failed." },
    });
  });
});

describe("runToolLoop's hooks across a suspension", () => {
  const lookupAndPay = [{ text: "Paying.", calls: [{ name: "search" }, { name: "pay" }] }];

  it("a text hook that throws on a suspended turn keeps the checkpoint in the error's result", async () => {
    const { send } = scripted(lookupAndPay);
    const broken = new Error("render failed");
    const run = runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search"), gated],
      request,
      send,
      batches: resumableBatches(),
      onTextDelta: () => {
        throw broken;
      },
    });
    const error = (await run.catch((thrown: unknown) => thrown)) as ToolLoopError;
    expect(ToolLoopError.isInstance(error)).toBe(true);
    expect([error.step, error.cause]).toStrictEqual([0, broken]);
    expect(error.result).toMatchObject({ stopReason: "awaiting-approval", text: "Paying." });
    expect("checkpoint" in error.result).toBe(true);
  });

  it("a resumed step gets prepareStep's tools; onStepStart is not called for it (its request was sent)", async () => {
    const ran: string[] = [];
    const { send, sent } = scripted(lookupAndPay);
    const batches = resumableBatches();
    const suspended = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search", ran), gated],
      request,
      send,
      batches,
    });
    if (suspended.stopReason !== "awaiting-approval") throw new Error(suspended.stopReason);
    const asked: { step: number; steps: number }[] = [];
    const started: number[] = [];
    const [pending] = suspended.pending;
    const resumed = await runToolLoop({
      adapter: fakeAdapter(),
      tools: [make("search", ran), gated],
      send,
      batches,
      resume: suspended.checkpoint,
      decisions: [{ callId: pending?.callId, digest: pending?.digest, approved: true }],
      // The resumed step runs without pay: its approved call is answered unknown_tool.
      prepareStep: ({ step, steps }) => {
        asked.push({ step, steps: steps.length });
        return step === 0 ? { tools: [make("search", ran)] } : undefined;
      },
      onStepStart: ({ step }) => started.push(step),
    });
    expect(resumed.stopReason).toBe("done");
    expect(asked).toStrictEqual([
      { step: 0, steps: 0 },
      { step: 1, steps: 1 },
    ]);
    expect(started).toStrictEqual([1]);
    expect(resumed.steps[0]?.results.map((r) => (r.ok ? r.output : r.error.code))).toStrictEqual([
      "search done",
      "unknown_tool",
    ]);
    expect([ran, sent.length]).toStrictEqual([["search"], 2]);
    // The resumed step's turn was counted by the run that received it.
    expect(resumed.steps[0]?.usage).toBeUndefined();
  });
});
