import { defineTool, executeBatch, toolSuccess } from "@toolbatch/core";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Response } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openaiChat, openaiResponses } from "../src/index.js";
import { completion, fn } from "./support.js";

// Issue 18: a success's follow-up carries what the model reads of it (modelOutputOf: the tool's
// toModelOutput mapping), never the output the mapping replaced, in every way OpenAI is answered.

const REAL = { rows: [{ id: "internal-7" }] };
const SHOWN = { count: 1 };

const search = defineTool({
  name: "search",
  description: "",
  input: z.object({ q: z.string() }),
  execute: () => REAL,
  toModelOutput: (output) => ({ count: output.rows.length }),
});

const toolContents = (messages: ChatCompletionMessageParam[]) =>
  messages.flatMap((m) => (m.role === "tool" ? [m.content as string] : []));

describe("openaiChat follow-up: the model's form of an output", () => {
  it("inside a multi_tool_use.parallel wrapper's answer", async () => {
    const args = JSON.stringify({
      tool_uses: [
        { recipient_name: "functions.search", parameters: { q: "a" } },
        { recipient_name: "functions.search", parameters: { q: "b" } },
      ],
    });
    const adapter = openaiChat();
    const batch = adapter.toBatch(completion([fn("call_wrap", "multi_tool_use.parallel", args)]));
    const results = await executeBatch(batch, [search]);
    expect(results.map((result) => result.ok && result.output)).toStrictEqual([REAL, REAL]);
    const [content] = toolContents(adapter.toFollowUp(batch, results));
    expect(JSON.parse(content as string)).toStrictEqual([
      { recipient_name: "functions.search", output: SHOWN },
      { recipient_name: "functions.search", output: SHOWN },
    ]);
  });

  it("in a plain tool message", async () => {
    const adapter = openaiChat();
    const batch = adapter.toBatch(completion([fn("call_1", "search", '{"q":"a"}')]));
    const messages = adapter.toFollowUp(batch, await executeBatch(batch, [search]));
    expect(toolContents(messages)).toStrictEqual([JSON.stringify(SHOWN)]);
  });
});

describe("openaiResponses follow-up: the model's form of an output", () => {
  it("in a function_call_output", () => {
    const adapter = openaiResponses();
    const item = {
      type: "function_call",
      id: "fc_1",
      call_id: "call_1",
      name: "search",
      arguments: "{}",
      status: "completed",
    };
    const batch = adapter.toBatch({
      id: "resp_1",
      object: "response",
      status: "completed",
      output: [item],
      parallel_tool_calls: true,
    } as unknown as Response);
    const success = { ...toolSuccess(batch.calls[0] as never, REAL), modelOutput: "1 row" };
    expect(adapter.toFollowUp(batch, [success]).at(-1)).toMatchObject({ output: "1 row" });
  });
});
