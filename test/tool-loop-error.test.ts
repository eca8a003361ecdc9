import {
  errorReply,
  scriptedToolModel,
  sseTextReply,
  startVendorServer,
  type ToolModelScript,
} from "@toolbatch/contract";
import {
  type ToolLoopError,
  ToolLoopError as ToolLoopErrorClass,
  TruncatedStreamError,
} from "@toolbatch/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { countingTools, LOOP_VENDORS, type LoopVendor, sseBytes } from "./support/loop-vendors.js";

const script: ToolModelScript = {
  calls: [
    { name: "lookup", arguments: { city: "Paris" } },
    { name: "write", arguments: { note: "saved" } },
    { name: "lookup", arguments: { city: "Lima" } },
  ],
  answer: (results) => `Done: ${results.join(" | ")}`,
};

async function caught(run: Promise<unknown>): Promise<ToolLoopError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(ToolLoopErrorClass.isInstance(error), `rejects with ToolLoopError: ${error}`).toBe(true);
  return error as ToolLoopError;
}

async function server(
  vendor: LoopVendor,
  replies: Parameters<typeof startVendorServer>[0]["replies"],
) {
  const started = await startVendorServer({ vendor: vendor.server, replies });
  onTestFinished(() => started.close());
  return started;
}

describe.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
  "runToolLoop fails with ToolLoopError (%s)",
  (_name, vendor) => {
    it.each([false, true])(
      "a 400 on the second request keeps the first step, whose calls ran (stream: %s)",
      async (stream) => {
        // issue 15 item 8: the SDK's BadRequestError came out raw and the history was lost.
        const model = scriptedToolModel(script);
        const started = await server(vendor, [model, errorReply(400, "Invalid request.")]);
        const { executions, tools } = countingTools();
        const error = await caught(vendor.run({ url: started.url, tools, stream }));
        expect(error.step).toBe(1);
        expect(error.cause).toBeInstanceOf(Error);
        expect(ToolLoopErrorClass.isInstance(error.cause)).toBe(false);
        expect(error.message).toMatch(/^\[toolbatch\/core\] runToolLoop stopped at step 1: /);
        const { result } = error;
        expect(result.steps).toHaveLength(1);
        expect(result.interrupted).toBeUndefined();
        expect(executions).toHaveLength(3);
        expect(result.steps[0]?.results.map((r) => r.ok)).toStrictEqual([true, true, true]);
        expect(vendor.validateHistory(result.history)).toStrictEqual([]);
        expect(result.history.length).toBeGreaterThan(1);
      },
    );
  },
);

describe("a stream the vendor SDK throws on", () => {
  // The legacy Google SDK also rejects the `response` it returns beside the stream: that
  // rejection was unhandled (issue 15 item 7).
  const throwing = LOOP_VENDORS.filter((vendor) => vendor.name !== "anthropic");
  it.each(throwing.map((vendor) => [vendor.name, vendor] as const))(
    "answers the calls that ran and aborts the one still running (%s)",
    async (_name, vendor) => {
      // Cut in the middle of the last event: every SDK but Anthropic's throws on the broken JSON.
      const model = scriptedToolModel(script);
      let body: Uint8Array | undefined;
      const started = await server(vendor, async (request, index) => {
        const reply = await model(request, index);
        body = sseBytes(reply, vendor.doneFrame);
        if (!body) return reply;
        const text = new TextDecoder().decode(body);
        const lastEvent = text.lastIndexOf("data: {");
        return sseTextReply(body.subarray(0, lastEvent + 12));
      });
      // The second call hangs until it is aborted: before issue 15 item 8 it was left running.
      let aborted = 0;
      const { executions, tools } = countingTools({ hang: (call) => call.index === 1 });
      const error = await caught(
        vendor.run({
          url: started.url,
          tools,
          stream: true,
          onEvent: (event) => {
            if (event.type === "call-end" && !event.result.ok) aborted++;
          },
        }),
      );
      expect(error.step).toBe(0);
      expect(error.result.steps).toHaveLength(0);
      const interrupted = error.result.interrupted;
      expect(interrupted?.batch.complete).toBe(false);
      expect(interrupted?.followUp).toStrictEqual([]);
      const outcome = interrupted?.results.map((r) => (r.ok ? "ok" : r.error.code)) ?? [];
      expect(outcome.slice(0, 2)).toStrictEqual(["ok", "aborted"]);
      expect(outcome.slice(2).every((code) => code === "ok" || code === "not_executed")).toBe(true);
      // Every call that started is answered with what it did.
      const ran = interrupted?.results.filter((r) => r.ok || r.error.code === "aborted");
      expect(executions).toStrictEqual(ran?.map((r) => r.callId));
      expect(aborted).toBeGreaterThan(0);
      expect(vendor.validateHistory(error.result.history)).toStrictEqual([]);
    },
  );
});

/** Where each wire says how the turn ended: a stream cut before it was cut by the network. */
const END_MARKERS = [
  '"finish_reason":"tool_calls"',
  '"type":"response.completed"',
  '"type":"message_delta"',
  '"finishReason":"STOP"',
];

describe("a stream that ends between two events, before the vendor ended the turn", () => {
  it.each(LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const))(
    "fails with TruncatedStreamError and answers every call that ran, aborting the running one (%s)",
    { timeout: 3000 },
    async (_name, vendor) => {
      // issue 15 item 7: the loop ended `incomplete` (or waited for the running call forever).
      const model = scriptedToolModel(script);
      const started = await server(vendor, async (request, index) => {
        const reply = await model(request, index);
        const body = sseBytes(reply, vendor.doneFrame);
        if (!body) return reply;
        const text = new TextDecoder().decode(body);
        const end = Math.min(...END_MARKERS.map((m) => text.indexOf(m)).filter((i) => i >= 0));
        const frameStart = text.lastIndexOf("\n\n", end) + 2;
        return sseTextReply(new TextEncoder().encode(text.slice(0, frameStart)));
      });
      const { executions, tools } = countingTools({ hang: (call) => call.index === 1 });
      const error = await caught(vendor.run({ url: started.url, tools, stream: true }));
      expect(TruncatedStreamError.isInstance(error.cause)).toBe(true);
      expect((error.cause as TruncatedStreamError).provider).toBe(vendor.name);
      const interrupted = error.result.interrupted;
      const outcome = interrupted?.results.map((r) => (r.ok ? "ok" : r.error.code)) ?? [];
      expect(outcome.slice(0, 2)).toStrictEqual(["ok", "aborted"]);
      expect(outcome.slice(2).every((code) => code === "ok" || code === "not_executed")).toBe(true);
      const ran = interrupted?.results.filter((r) => r.ok || r.error.code === "aborted");
      expect(executions).toStrictEqual(ran?.map((r) => r.callId));
      expect(error.result.steps).toHaveLength(0);
      expect(vendor.validateHistory(error.result.history)).toStrictEqual([]);
    },
  );
});

describe("a send that rejects with a value whose description throws", () => {
  // The ToolLoopError's message describes its cause: a cause that throws when read (a message
  // getter, a Proxy's getPrototypeOf) must not replace the error that carries the partial result.
  const hostile = {
    "an Error whose message getter throws": Object.defineProperty(new Error(), "message", {
      get() {
        throw new Error("no message for you");
      },
    }),
    "a Proxy whose getPrototypeOf throws": new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("no prototype for you");
        },
      },
    ),
  };
  const vendor = LOOP_VENDORS[0] as LoopVendor;
  it.each(Object.entries(hostile))(
    "%s: ToolLoopError, with the first step kept",
    async (_name, cause) => {
      const started = await server(vendor, [scriptedToolModel(script)]);
      const { executions, tools } = countingTools();
      const error = await caught(
        vendor.run({
          url: started.url,
          tools,
          stream: false,
          around: (step, call) => (step === 1 ? Promise.reject(cause) : call()),
        }),
      );
      expect(error.cause).toBe(cause);
      expect(error.message).toMatch(/^\[toolbatch\/core\] runToolLoop stopped at step 1: /);
      expect(error.result.steps).toHaveLength(1);
      expect(executions).toHaveLength(3);
    },
  );
});
