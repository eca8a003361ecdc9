import type Anthropic from "@anthropic-ai/sdk";
import type {
  MessageCreateParams,
  MessageCreateParamsNonStreaming,
  MessageParam,
} from "@anthropic-ai/sdk/resources/messages";
import {
  anthropicWire,
  jsonReply,
  loadRecordings,
  loadSpecValidator,
  type Recording,
  replyFromRecording,
  type VendorServer,
} from "@toolbatch/contract";
import {
  type AnyTool,
  defineTool,
  executeBatch,
  type JsonSchema,
  jsonSchema,
  type ToolCall,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { anthropic } from "../src/index.js";
import { anthropicServer, message, text } from "./support.js";

/**
 * The tools a recording's request declares, each answering a call with the text the recorded
 * follow-up sent for it ("5", "alice is bob's wife", ...).
 */
function recordedTools(rec: Recording): AnyTool[] {
  const followUp = anthropicWire.recordedFollowUp(rec) ?? [];
  const answers = new Map(anthropicWire.readResults(followUp).map((c) => [c.callId, c.text]));
  return ((rec.request as MessageCreateParams).tools ?? []).flatMap((tool) =>
    "input_schema" in tool
      ? [
          defineTool({
            name: tool.name,
            description: tool.description ?? "",
            input: jsonSchema(tool.input_schema as JsonSchema),
            execute: (_input, { call }) => answers.get(call.id) ?? "unknown",
          }),
        ]
      : [],
  );
}

const recording = (key: string) =>
  loadRecordings("anthropic").find((r) => r.key === key) as Recording;
const finalAnswer = message([text("5 and 6.")], "end_turn");

const bodies = (s: VendorServer) => s.requests.map((r) => r.body as MessageCreateParams);

/** Sends a follow-up through the SDK and checks it as the API would: schema, then the recording. */
async function sendFollowUp(
  { server: s, client }: { server: VendorServer; client: Anthropic },
  rec: Recording,
  followUp: MessageParam[],
) {
  const first = rec.request as MessageCreateParams;
  await client.messages.create({
    ...first,
    stream: false,
    messages: [...first.messages, ...followUp],
  });
  const next = bodies(s).at(-1) as MessageCreateParams;
  expect(loadSpecValidator("anthropic").validate("CreateMessageParams", next)).toStrictEqual([]);
  const tail = next.messages.slice(first.messages.length);
  expect(tail.map((m) => m.role)).toStrictEqual(["assistant", "user"]);
  expect(anthropicWire.comparable(tail)).toStrictEqual(
    anthropicWire.comparable(anthropicWire.recordedFollowUp(rec) as MessageParam[]),
  );
}

describe("anthropic() through the real @anthropic-ai/sdk", () => {
  it.each(["an1", "an3"])(
    "runs recording %s with messages.create and sends the recorded follow-up",
    async (key) => {
      const rec = recording(key);
      const loopback = await anthropicServer([replyFromRecording(rec), jsonReply(finalAnswer)]);
      const adapter = anthropic();
      const first = rec.request as MessageCreateParamsNonStreaming;
      const tools = recordedTools(rec);
      const response = await loopback.client.messages.create({
        ...first,
        stream: false,
        tools: adapter.tools(tools),
        ...adapter.requestOptions({ parallel: false, toolChoice: first.tool_choice }),
      });
      const batch = adapter.toBatch(response);
      expect(batch.complete).toBe(true);
      expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual(
        rec.expected.calls.map((c) => [c.id, c.name, c.input]),
      );
      await sendFollowUp(
        loopback,
        rec,
        adapter.toFollowUp(batch, await executeBatch(batch, tools)),
      );

      const [sent] = bodies(loopback.server);
      expect(sent?.tool_choice).toStrictEqual({ type: "auto", disable_parallel_tool_use: true });
      // tools() declares them exactly as the recorded request did.
      expect(sent?.tools).toStrictEqual(first.tools);
    },
  );

  it("assembles recording an2 from messages.create({ stream: true }) read 3 bytes at a time", async () => {
    const rec = recording("an2");
    const loopback = await anthropicServer([
      replyFromRecording(rec, { chunkBytes: 3 }),
      jsonReply(finalAnswer),
    ]);
    const adapter = anthropic();
    const assembler = adapter.createStreamAssembler();
    const reported: ToolCall[] = [];
    const stream = await loopback.client.messages.create({
      ...(rec.request as MessageCreateParams),
      stream: true,
    });
    for await (const event of stream) reported.push(...assembler.push(event));
    const batch = assembler.finish();
    expect(batch.complete).toBe(true);
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual(
      rec.expected.calls.map((c) => [c.id, c.name, c.input]),
    );
    expect(reported.map((c) => c.id)).toStrictEqual(batch.calls.map((c) => c.id));
    await sendFollowUp(
      loopback,
      rec,
      adapter.toFollowUp(batch, await executeBatch(batch, recordedTools(rec))),
    );
  });

  it("agrees with the SDK's own stream helper: messages.stream() and finalMessage()", async () => {
    const rec = recording("an2");
    const { client } = await anthropicServer([replyFromRecording(rec, { chunkBytes: 3 })]);
    const assembler = anthropic().createStreamAssembler();
    const { stream: _stream, ...request } = rec.request as MessageCreateParams;
    const stream = client.messages.stream(request);
    for await (const event of stream) assembler.push(event);
    const final = await stream.finalMessage();
    const assembled = assembler.finish();

    // The same message on the wire: the helper only adds a client-side `parsed_output`.
    const { parsed_output: parsed, ...finalMessage } = final;
    expect(parsed).toBeNull();
    expect(JSON.parse(JSON.stringify(assembled.turn))).toStrictEqual(
      JSON.parse(JSON.stringify(finalMessage)),
    );
    const fromHelper = anthropic().toBatch(final);
    expect(assembled.calls.map(({ rawInput: _raw, ...call }) => call)).toStrictEqual(
      fromHelper.calls,
    );
    const results = await executeBatch(assembled, recordedTools(rec));
    expect(anthropic().toFollowUp(fromHelper, results)).toStrictEqual(
      anthropic().toFollowUp(assembled, results),
    );
  });
});
