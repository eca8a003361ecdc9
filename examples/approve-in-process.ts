/**
 * Approvals in one process: one of four parallel calls (a payment over 100) needs a decision; the
 * three lookups run meanwhile, and the model gets all four results in one follow-up. On a terminal
 * you decide; piped (CI), a rule decides after a reviewer's pause. Offline by default; with
 * OPENAI_API_KEY, the real API.
 *   pnpm --filter @toolbatch/examples exec tsx approve-in-process.ts
 */
import { createInterface } from "node:readline/promises";
import { scriptedToolModel } from "@toolbatch/contract/server";
import {
  type ApprovalAnswer,
  type ApprovalQuestion,
  defineTool,
  type ExecutionEvent,
  runToolLoop,
} from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { z } from "zod";
import { lookupCity } from "./demo/lookup-tools.js";
import { offlineModel } from "./support/offline.js";

const PROMPT =
  "Look up Paris, Tokyo and Oslo with lookup_city, and pay the Lima hotel 250 EUR with send_payment, all at once; then sum up.";

const sendPayment = defineTool({
  name: "send_payment",
  description: "Sends a payment in EUR",
  input: z.object({ to: z.string(), amount: z.number().positive() }),
  // Small payments run at once; anything over 100 waits for a decision. The calls beside it do not.
  needsApproval: ({ amount }) => amount > 100,
  execute: ({ to, amount }) => ({ paid: amount, to }),
});

/** Unattended, payments up to this much are approved; above it, denied. */
const UNATTENDED_LIMIT = 200;

async function approve({ toolName, input }: ApprovalQuestion): Promise<ApprovalAnswer> {
  const { amount, to } = input as { amount: number; to: string };
  if (process.stdin.isTTY) {
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    const reply = await terminal.question(`\nApprove ${toolName}: ${amount} EUR to ${to}? [y/N] `);
    terminal.close();
    return /^y(es)?$/i.test(reply.trim())
      ? { approved: true }
      : { approved: false, reason: "declined at the terminal" };
  }
  // Piped: a rule decides, after the pause a reviewer would take.
  await new Promise((resolve) => setTimeout(resolve, 600));
  return amount <= UNATTENDED_LIMIT
    ? { approved: true }
    : { approved: false, reason: `over the ${UNATTENDED_LIMIT} EUR limit for unattended payments` };
}

const server = process.env.OPENAI_API_KEY
  ? undefined
  : await offlineModel(
      "openai",
      scriptedToolModel({
        calls: [
          { name: "lookup_city", arguments: { city: "Paris" } },
          { name: "send_payment", arguments: { to: "Lima hotel", amount: 250 } },
          { name: "lookup_city", arguments: { city: "Tokyo" } },
          { name: "lookup_city", arguments: { city: "Oslo" } },
        ],
        answer: (results) => `(offline model) ${results.join(" ")}`,
      }),
    );
const client = new OpenAI(server ? { apiKey: "offline", baseURL: server.url } : {});

const events: ExecutionEvent[] = [];
const startedAt = performance.timeOrigin + performance.now();
const result = await runToolLoop({
  adapter: openaiChat(),
  tools: [lookupCity, sendPayment],
  request: { model: "gpt-4.1-mini", messages: [{ role: "user", content: PROMPT }] },
  send: (request) => client.chat.completions.create({ ...request, stream: false }),
  approve,
  onEvent: (event) => events.push(event),
});

// The timeline of turn 1: the payment waits for its decision while the lookups run.
console.log("timeline:");
for (const event of events) {
  if (!("call" in event)) continue;
  const at = `${Math.round(event.time - startedAt)} ms`.padStart(8);
  const what = `${event.call.name}(${JSON.stringify(event.call.input)})`;
  const detail =
    event.type === "approval-decided"
      ? event.approved
        ? " approved"
        : ` denied${event.reason ? `: ${event.reason}` : ""}`
      : event.type === "call-end"
        ? ` ${event.result.ok ? "ok" : event.result.error.code}`
        : "";
  console.log(`${at}  ${event.type.padEnd(18)} ${what}${detail}`);
}
const step = result.steps[0];
console.log(
  `results of turn 1, in call order: ${step?.results.map((r) => `${r.name} ${r.ok ? "ok" : r.error.code}`).join(", ")}`,
);
const refused = step?.results.find((r) => !r.ok);
if (refused && !refused.ok) console.log(`the model reads: ${refused.error.message}`);
console.log(`stop reason: ${result.stopReason}, turns: ${result.steps.length}`);
console.log(`answer: ${result.finalTurn?.content}`);
await server?.close();
