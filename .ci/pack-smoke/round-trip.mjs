// One tool loop run entirely from the packed tarballs: a zod tool, the loopback OpenAI server with
// a scripted model (from @toolbatch/contract/server), the real `openai` client, and `runToolLoop`
// with `openaiChat()`. Run from the scratch project that .ci/pack-smoke.sh installs; exits 1 on
// any mismatch.
import { strict as assert } from "node:assert";
import { scriptedToolModel, startVendorServer } from "@toolbatch/contract/server";
import { defineTool, runToolLoop } from "@toolbatch/core";
import { openaiChat } from "@toolbatch/openai";
import OpenAI from "openai";
import { VERSION as OPENAI_VERSION } from "openai/version";
import { z } from "zod";

const add = defineTool({
  name: "add",
  description: "Adds two numbers",
  input: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => ({ sum: a + b }),
});

const server = await startVendorServer({
  vendor: "openai",
  replies: scriptedToolModel({
    calls: [
      { name: "add", arguments: { a: 1, b: 2 } },
      { name: "add", arguments: { a: 40, b: 2 } },
    ],
    answer: (results) => `sums: ${results.join(" | ")}`,
  }),
});
try {
  const client = new OpenAI({ apiKey: "pack-smoke", baseURL: server.url, maxRetries: 0 });
  const result = await runToolLoop({
    adapter: openaiChat(),
    tools: [add],
    request: { model: "scripted", messages: [{ role: "user", content: "Add 1+2 and 40+2." }] },
    // Streamed, so the SDK's SSE parsing and the adapter's stream assembler run too.
    send: (request) => client.chat.completions.create({ ...request, stream: true }),
  });

  assert.equal(result.stopReason, "done");
  // Two model turns: the parallel calls, then the answer.
  assert.equal(result.steps.length, 2);
  const batch = result.steps[0].batch;
  assert.ok(result.steps[0].streamed, "the turn streamed");
  assert.ok(
    result.steps[0].results.every((entry) => entry.ok),
    "every call succeeded",
  );
  assert.deepEqual(
    batch.calls.map((call) => call.input),
    [
      { a: 1, b: 2 },
      { a: 40, b: 2 },
    ],
  );
  const answer = String(result.finalTurn.content);
  assert.match(answer, /"sum":3\b/);
  assert.match(answer, /"sum":42\b/);
  assert.equal(server.requests.length, 2, "one request per model turn");
  const followUp = server.requests[1].body.messages.filter((message) => message.role === "tool");
  assert.equal(followUp.length, 2, "both results in one follow-up");
  assert.deepEqual(server.requests[0].body.tools?.[0]?.function?.name, "add");
  console.log(
    `round trip: openai ${OPENAI_VERSION}, ${batch.calls.length} parallel calls, ` +
      `${server.requests.length} requests, answer ${JSON.stringify(answer)}`,
  );
} finally {
  await server.close();
}
