import { describe, expectTypeOf, it } from "vitest";
import {
  type AnyTool,
  type ApproveHandler,
  type ErrorTextHook,
  type ExecutionEvent,
  type LoopBatches,
  type ProviderAdapter,
  runToolLoop,
  stopAfterTool,
  type TokenUsage,
  type ToolLoopCheckpoint,
  type ToolLoopStep,
  type ToolLoopStepPreparation,
  type ToolLoopStopReason,
} from "../src/index.js";

// Issue 18: every optional loop option takes a value that may be undefined, and the hooks are
// typed by the adapter. Compiled by the core project's typecheck and, with
// exactOptionalPropertyTypes, by tool-loop-strict.test.ts (tool-loop-strict/tsconfig.json).

interface Req {
  readonly model: string;
  readonly messages: readonly Msg[];
  readonly tool_choice?: "auto" | "required";
}
interface Msg {
  readonly role: string;
}
interface Res {
  readonly id: string;
}
interface Ev {
  readonly delta: string;
}
interface Turn {
  readonly role: "assistant";
}

declare const adapter: ProviderAdapter<Res, Ev, Req, Msg, unknown, Turn>;
declare const tools: readonly AnyTool[];
declare const send: (request: Req) => Promise<Res>;
declare const checkpoint: ToolLoopCheckpoint;
declare const maybe: {
  signal: AbortSignal | undefined;
  number: number | undefined;
  boolean: boolean | undefined;
  approve: ApproveHandler | undefined;
  batches: LoopBatches | undefined;
  errorText: ErrorTextHook | undefined;
  onEvent: ((event: ExecutionEvent & { readonly step: number }) => void) | undefined;
  onStep: ((checkpoint: ToolLoopCheckpoint) => void) | undefined;
  decisions: readonly unknown[] | undefined;
};

describe("runToolLoop's options", () => {
  it("take undefined for every optional option, the hooks included", async () => {
    const result = await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      signal: maybe.signal,
      maxSteps: maybe.number,
      parallel: maybe.boolean,
      concurrency: maybe.number,
      timeoutMs: maybe.number,
      approve: maybe.approve,
      batches: maybe.batches,
      errorText: maybe.errorText,
      onEvent: maybe.onEvent,
      onStep: maybe.onStep,
      onStepStart: undefined,
      onTextDelta: undefined,
      onStepFinish: undefined,
      prepareStep: undefined,
      stopWhen: undefined,
    });
    expectTypeOf(result.text).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.usage).toEqualTypeOf<TokenUsage | undefined>();
    expectTypeOf(result.steps[0]?.usage).toEqualTypeOf<TokenUsage | undefined>();
    expectTypeOf<"stopped">().toExtend<ToolLoopStopReason>();
    await runToolLoop({
      adapter,
      tools,
      send,
      resume: checkpoint,
      decisions: maybe.decisions,
      batches: maybe.batches,
    });
  });

  it("type the hooks by the adapter: the request, the turn, the step's preparation", async () => {
    await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      onStepStart: ({ step, request }) => {
        expectTypeOf(step).toEqualTypeOf<number>();
        expectTypeOf(request).toEqualTypeOf<Req>();
      },
      onTextDelta: (delta, { step }) => {
        expectTypeOf(delta).toEqualTypeOf<string>();
        expectTypeOf(step).toEqualTypeOf<number>();
      },
      onStepFinish: (step) => {
        expectTypeOf(step).toEqualTypeOf<ToolLoopStep<Turn, Msg>>();
        expectTypeOf(step.batch.turn).toEqualTypeOf<Turn>();
      },
      prepareStep: async ({ step, steps }) => {
        expectTypeOf(steps).toEqualTypeOf<readonly ToolLoopStep<Turn, Msg>[]>();
        const preparation: ToolLoopStepPreparation<Req> = {
          tools: step > 0 ? tools.slice(1) : undefined,
          parallel: undefined,
          request: (request) => ({ ...request, tool_choice: "required" }),
        };
        return step > 2 ? undefined : preparation;
      },
      stopWhen: stopAfterTool("final_answer"),
    });
  });

  it("keep a request change's literals (runToolLoop's Request is a const type parameter)", async () => {
    // Without `const`, TypeScript widens "required" to string inside a generic call's callback.
    await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      prepareStep: ({ step }) =>
        step === 0
          ? { request: (request) => ({ ...request, tool_choice: "required" }) }
          : undefined,
    });
    await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      // @ts-expect-error: "requird" is not one of the vendor's tool choices
      prepareStep: () => ({
        request: (request) => ({ ...request, tool_choice: "requird" }),
      }),
    });
  });

  it("refuse a request change of another type and a non-boolean stopWhen", async () => {
    await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      // @ts-expect-error: the request change returns the vendor's request type
      prepareStep: () => ({ request: () => ({ model: 1 }) }),
    });
    await runToolLoop({
      adapter,
      tools,
      request: { model: "m", messages: [] },
      send,
      // @ts-expect-error: stopWhen answers a boolean
      stopWhen: () => "yes",
    });
  });
});
