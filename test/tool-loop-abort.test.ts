import {
  type ReplyScript,
  scriptedToolModel,
  sseReply,
  startVendorServer,
  type ToolModelScript,
} from "@toolbatch/contract";
import type { ToolLoopResult } from "@toolbatch/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { settled, tapStream, watchUnhandledRejections } from "./support/loop-outcomes.js";
import { countingTools, LOOP_VENDORS, type LoopVendor } from "./support/loop-vendors.js";

const script: ToolModelScript = {
  calls: [
    { name: "lookup", arguments: { city: "Paris" } },
    { name: "write", arguments: { note: "saved" } },
  ],
  answer: (results) => `Done: ${results.join(" | ")}`,
};

async function server(vendor: LoopVendor, replies: ReplyScript) {
  const started = await startVendorServer({ vendor: vendor.server, replies });
  onTestFinished(() => started.close());
  return started;
}

/** Every call that started has its one result in what the caller got, and the history is valid. */
function expectAbortedWell(vendor: LoopVendor, result: ToolLoopResult, executions: string[]) {
  expect(result.stopReason).toBe("aborted");
  expect(vendor.validateHistory(result.history)).toStrictEqual([]);
  const answered = [...result.steps, ...(result.interrupted ? [result.interrupted] : [])].flatMap(
    (step) => step.results,
  );
  for (const id of executions) {
    expect(answered.filter((r) => r.callId === id)).toHaveLength(1);
  }
}

const unhandled = watchUnhandledRejections();
const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop aborted (%s)", (_name, vendor) => {
  it("sends nothing when the signal aborted before the loop started", async () => {
    // issue 15 item 9: send was still called.
    const started = await server(vendor, scriptedToolModel(script));
    const { executions, tools } = countingTools();
    const result = await vendor.run({
      url: started.url,
      tools,
      stream: false,
      signal: AbortSignal.abort(),
    });
    expect(started.requests).toHaveLength(0);
    expect(result.stopReason).toBe("aborted");
    expect(result.steps).toStrictEqual([]);
    expect(result.finalTurn).toBeUndefined();
    expect(result.history).toHaveLength(1);
    expect(executions).toStrictEqual([]);
  });

  it.each([false, true])(
    "ends aborted, not with the SDK's abort error, when the signal aborts while the request is out (stream: %s)",
    async (stream) => {
      // issue 15 item 9: an SDK given the signal rejected with its own abort error.
      const started = await server(vendor, scriptedToolModel(script));
      const controller = new AbortController();
      const { executions, tools } = countingTools();
      const result = await vendor.run({
        url: started.url,
        tools,
        stream,
        signal: controller.signal,
        signalToSdk: true,
        around: (step, call) => {
          const sent = call();
          if (step === 1) controller.abort();
          return sent;
        },
      });
      expectAbortedWell(vendor, result, executions);
      expect(result.steps).toHaveLength(1);
      expect(executions).toHaveLength(2);
    },
  );

  it("never waits on a request that ignores the signal", async () => {
    // The server holds the second answer until the test ends; the SDK is not given the signal.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    onTestFinished(() => release());
    const model = scriptedToolModel(script);
    const started = await server(vendor, async (request, index) => {
      if (index === 1) await held;
      return model(request, index);
    });
    const controller = new AbortController();
    const { executions, tools } = countingTools();
    const result = await vendor.run({
      url: started.url,
      tools,
      stream: true,
      signal: controller.signal,
      onEvent: (event) => {
        // Once every call of the first turn is answered, the second request goes out next.
        if (event.type === "batch-end") setImmediate(() => controller.abort());
      },
    });
    expectAbortedWell(vendor, result, executions);
    expect(result.steps).toHaveLength(1);
  });

  it("ends aborted with a history the vendor accepts when the signal aborts inside the stream", async () => {
    // issue 15 item 9: the loop ended `incomplete` and echoed what had arrived of the turn (for
    // Chat, `{ role: "assistant", content: null }` with no tool_calls).
    const started = await server(vendor, scriptedToolModel(script));
    const controller = new AbortController();
    const { executions, tools } = countingTools();
    const result = await vendor.run({
      url: started.url,
      tools,
      stream: true,
      signal: controller.signal,
      // The caller aborts as the first event arrives.
      around: async (_step, call) => tapStream(await call(), () => controller.abort()),
    });
    expectAbortedWell(vendor, result, executions);
    expect(result.steps).toStrictEqual([]);
    expect(result.history).toHaveLength(1);
    expect(result.interrupted?.batch.complete).toBe(false);
  });

  it("closes a stream that arrives after the abort, leaving no unhandled rejection", async () => {
    // The first answer streams one event, then holds until the server closes: the legacy Google
    // SDK rejects the `response` it returns beside the stream then, which nobody awaits.
    const model = scriptedToolModel(script);
    const started = await startVendorServer({
      vendor: vendor.server,
      replies: async (request, index) => {
        const reply = await model(request, index);
        if (reply.kind !== "sse-events") return reply;
        const gaps = reply.events.map((_, i) => (i === 1 ? 600_000 : 0));
        return sseReply(reply.events, {
          gaps,
          ...(reply.done === undefined ? {} : { done: reply.done }),
        });
      },
    });
    const controller = new AbortController();
    const { executions, tools } = countingTools();
    let late: Promise<unknown> = Promise.resolve();
    const result = await vendor.run({
      url: started.url,
      tools,
      stream: true,
      signal: controller.signal,
      // The caller aborts while the request is out: the stream arrives after.
      around: (_step, call) => {
        late = call();
        controller.abort();
        return late;
      },
    });
    expectAbortedWell(vendor, result, executions);
    // The answer has arrived (its body held open) when the server drops the connection.
    await late;
    await started.close();
    for (let turn = 0; turn < 10; turn++) await settled();
    expect(unhandled.reasons.splice(0)).toStrictEqual([]);
  });
});
