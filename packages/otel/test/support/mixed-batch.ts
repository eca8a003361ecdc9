import { defineTool, type ExecutionEvent, executeBatch, type ToolCallBatch } from "@toolbatch/core";
import { z } from "zod";

/** A batch of calls, as an adapter's `toBatch` gives it. */
export function batchOf(calls: readonly { name: string; input: unknown }[]): ToolCallBatch {
  return {
    provider: "test",
    complete: true,
    turn: null,
    calls: calls.map((call, index) => ({ id: `call_${index}`, index, ...call })),
  };
}

/**
 * Seven calls, each ending a different way: ok, thrown, invalid input, unknown tool, a timeout
 * whose tool ignores its signal (released by the test after the batch), denied, and aborted (the
 * batch's signal is aborted once the timeout is answered). No step depends on timing but the
 * 5 ms timeout of a tool that cannot end before the test lets it.
 */
export function mixedBatch() {
  let letGo: (value: string) => void = () => {};
  const lingering = new Promise<string>((resolve) => {
    letGo = resolve;
  });
  const controller = new AbortController();
  const tools = [
    defineTool({
      name: "get_weather",
      description: "Current weather for a city",
      input: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, celsius: 21 }),
    }),
    defineTool({
      name: "explode",
      description: "Always fails",
      input: z.object({}),
      execute: () => {
        throw new Error("boom");
      },
    }),
    defineTool({
      name: "slow_report",
      description: "Ignores its signal",
      input: z.object({}),
      timeoutMs: 5,
      execute: () => lingering,
    }),
    defineTool({
      name: "send_payment",
      description: "Sends money",
      input: z.object({ amount: z.number() }),
      needsApproval: true,
      execute: () => "paid",
    }),
    defineTool({
      name: "wait_for_abort",
      description: "Ends when aborted",
      input: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        }),
    }),
  ];
  const batch = batchOf([
    { name: "get_weather", input: { city: "Paris" } },
    { name: "explode", input: {} },
    { name: "get_weather", input: { city: 5 } },
    { name: "book_flight", input: { to: "Lima" } },
    { name: "slow_report", input: {} },
    { name: "send_payment", input: { amount: 250 } },
    { name: "wait_for_abort", input: {} },
  ]);
  /** Runs the batch; resolves once the lingering tool was let go and released, too. */
  const run = async (onEvent: (event: ExecutionEvent) => void) => {
    let released: () => void = () => {};
    const release = new Promise<void>((resolve) => {
      released = resolve;
    });
    const results = await executeBatch(batch, tools, {
      signal: controller.signal,
      approve: () => ({ approved: false, reason: "over budget" }),
      onEvent: (event) => {
        onEvent(event);
        if (event.type === "call-end" && event.result.name === "slow_report") {
          queueMicrotask(() => controller.abort());
        }
        if (event.type === "call-release" && event.call.name === "slow_report") released();
      },
    });
    letGo("late report");
    await release;
    return results;
  };
  return { tools, batch, run };
}
