import {
  ToolLoopError,
  type ToolLoopPartialResult,
  type ToolLoopResult,
  type ToolLoopStep,
} from "@toolbatch/core";
import { afterAll, beforeAll, expect } from "vitest";
import type { LoopVendor } from "./loop-vendors.js";

/** How a loop run ended: a result, or a ToolLoopError (anything else fails the test). */
export type LoopOutcome =
  | { readonly kind: "result"; readonly result: ToolLoopResult }
  | { readonly kind: "error"; readonly error: ToolLoopError };

/** Runs the loop and sorts out how it ended; any rejection but a ToolLoopError fails. */
export async function outcomeOf(run: Promise<ToolLoopResult>): Promise<LoopOutcome> {
  try {
    return { kind: "result", result: await run };
  } catch (error) {
    expect(ToolLoopError.isInstance(error), `only ToolLoopError is thrown, got ${error}`).toBe(
      true,
    );
    return { kind: "error", error: error as ToolLoopError };
  }
}

/** What the caller holds at the end: the result, or the error's partial result. */
export function received(outcome: LoopOutcome): ToolLoopPartialResult {
  return outcome.kind === "result" ? outcome.result : outcome.error.result;
}

/**
 * The invariants every ending keeps: each step answers each of its calls exactly once, in order;
 * every call that started (`executions`, counted inside the tools) is answered exactly once in
 * what the caller received; and the history is one the vendor's published schema accepts.
 */
export function expectNothingLost(
  vendor: LoopVendor,
  outcome: LoopOutcome,
  executions: readonly string[],
): void {
  const { steps, interrupted, history } = received(outcome);
  const all: ToolLoopStep[] = [...steps, ...(interrupted ? [interrupted] : [])];
  for (const step of all) {
    expect(step.results.map((r) => r.callId)).toStrictEqual(step.batch.calls.map((c) => c.id));
  }
  const answered = all.flatMap((step) => step.results.map((result) => result.callId));
  for (const id of executions) {
    expect(
      answered.filter((callId) => callId === id),
      `call ${id} ran`,
    ).toHaveLength(1);
  }
  expect(new Set(answered).size, "no call is answered twice").toBe(answered.length);
  expect(vendor.validateHistory(history)).toStrictEqual([]);
}

/**
 * Collects unhandled rejections while a test file runs, so a property can assert there were none
 * (a vendor SDK's promise nobody awaited, a late `send` rejection after an abort).
 */
export function watchUnhandledRejections(): { readonly reasons: unknown[] } {
  const watched = { reasons: [] as unknown[] };
  const listener = (reason: unknown) => {
    watched.reasons.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", listener);
  });
  afterAll(() => {
    process.off("unhandledRejection", listener);
  });
  return watched;
}

/** Lets pending rejections surface: Node reports them once the microtask queue drains. */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * What `send` got back from the SDK with its stream tapped: `onEvent(index)` runs as each event
 * passes, before the loop sees it. The legacy Google SDK's `{ stream, response }` keeps its shape
 * (the adapter handles its `response`); an answer without a stream comes back as it is.
 */
export function tapStream(answer: unknown, onEvent: (index: number) => void): unknown {
  const wrapped = (answer as { stream?: unknown } | null)?.stream;
  const events = wrapped ?? answer;
  if (typeof events !== "object" || events === null || !(Symbol.asyncIterator in events)) {
    return answer;
  }
  const tapped = (async function* () {
    let index = 0;
    for await (const event of events as AsyncIterable<unknown>) {
      onEvent(index++);
      yield event;
    }
  })();
  return wrapped === undefined ? tapped : { ...(answer as object), stream: tapped };
}
