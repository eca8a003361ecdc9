import { scriptedToolModel, startVendorServer } from "@toolbatch/contract";
import { createAccessAudit, defineTool, jsonSchema, type StepAccessRecord } from "@toolbatch/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { LOOP_VENDORS } from "./support/loop-vendors.js";

// Issue 19's access audit on all five wires, through the real SDKs against the loopback
// servers: each step's record, with the vendor's response id where the scripted server sends one
// (its Gemini wire sends no responseId), and the follow-up that returned the results together.

const RESPONSE_IDS: Readonly<Record<string, string | undefined>> = {
  "openai-chat": "chatcmpl-scripted",
  "openai-responses": "resp_scripted",
  anthropic: "msg_scripted",
};

const input = jsonSchema({ type: "object", additionalProperties: true });
const tools = [
  defineTool({
    name: "lookup",
    description: "Finds a customer's address.",
    input,
    accesses: ["pii:address"],
    execute: () => ({ street: "1 Main St" }),
  }),
  defineTool({
    name: "write",
    description: "Reads a customer's orders.",
    input,
    accesses: ["orders"],
    execute: () => ({ orders: 2 }),
  }),
];

const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop's step.access (%s)", (name, vendor) => {
  it.each([false, true])("records each step's batch (streamed: %s)", async (stream) => {
    const started = await startVendorServer({
      vendor: vendor.server,
      replies: scriptedToolModel({
        calls: [
          { name: "lookup", arguments: { customer: "c-1" } },
          { name: "write", arguments: { customer: "c-1" } },
        ],
        answer: (results) => `Done: ${results.length} results.`,
      }),
    });
    onTestFinished(() => started.close());
    const result = await vendor.run({
      url: started.url,
      tools,
      stream,
      more: {
        audit: createAccessAudit({
          sensitive: [
            ["pii:address", "orders"],
            ["pii:address", "pii:email"],
          ],
        }),
      },
    });
    expect(result.stopReason).toBe("done");
    const responseId = RESPONSE_IDS[name];
    const [first, last] = result.steps.map((step) => step.access);
    expect(result.steps[0]?.batch.responseId).toBe(responseId);
    const expected: StepAccessRecord = {
      schemaVersion: 1,
      batchId: expect.any(String) as unknown as string,
      provider: name,
      ...(responseId ? { responseId } : {}),
      calls: [
        {
          callId: result.steps[0]?.batch.calls[0]?.id as string,
          tool: "lookup",
          ran: true,
          outcome: "ok",
          accesses: ["pii:address"],
        },
        {
          callId: result.steps[0]?.batch.calls[1]?.id as string,
          tool: "write",
          ran: true,
          outcome: "ok",
          accesses: ["orders"],
        },
      ],
      categories: ["orders", "pii:address"],
      sensitive: [
        {
          categories: ["pii:address", "orders"],
          callIds: (result.steps[0]?.batch.calls ?? []).map((call) => call.id),
        },
      ],
      followUp: { step: 0, results: 2 },
    };
    expect(first).toStrictEqual(expected);
    // The final answer's batch has no calls: nothing ran, nothing returned.
    expect(last).toMatchObject({ calls: [], categories: [], sensitive: [] });
    expect(JSON.parse(JSON.stringify(first))).toStrictEqual(first);
  });
});
