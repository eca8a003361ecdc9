import { scriptedToolModel, startVendorServer } from "@toolbatch/contract";
import { defineTool, jsonSchema } from "@toolbatch/core";
import { onTestFinished } from "vitest";
import type { LoopVendor } from "./loop-vendors.js";

// The approval tests' turn (issue 16): one of four parallel calls, a payment of 250, needs
// approval; the scripted model answers from the four results of the follow-up.

/** Three lookups and a payment, in one turn; the payment needs approval above 100. */
export function paymentTools() {
  const ran: string[] = [];
  const input = jsonSchema<Record<string, unknown>>({ type: "object" });
  const lookup = defineTool({
    name: "lookup",
    description: "Looks a city up.",
    input,
    execute: (args, { call }) => {
      ran.push(call.id);
      return `found ${String(args.city)}`;
    },
  });
  const pay = defineTool({
    name: "send_payment",
    description: "Sends a payment.",
    input: jsonSchema<{ amount: number }>({ type: "object" }),
    needsApproval: ({ amount }) => amount > 100,
    execute: (_args, { call }) => {
      ran.push(call.id);
      return "paid";
    },
  });
  return { ran, tools: [lookup, pay] };
}

export const script = {
  calls: [
    { name: "lookup", arguments: { city: "Paris" } },
    { name: "send_payment", arguments: { amount: 250 } },
    { name: "lookup", arguments: { city: "Lima" } },
    { name: "lookup", arguments: { city: "Oslo" } },
  ],
  answer: (results: readonly string[]) => `Results: ${results.join(" | ")}`,
};

/** The loopback server playing the script, closed after the test. */
export async function scriptedServer(vendor: LoopVendor) {
  const started = await startVendorServer({
    vendor: vendor.server,
    replies: scriptedToolModel(script),
  });
  onTestFinished(() => started.close());
  return started;
}
