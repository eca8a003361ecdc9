import type { MessageParam, ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { type ToolResult, toolSuccess } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { anthropic } from "../src/index.js";
import { message, specProblems, toolUse } from "./support.js";

// Issue 18: a success's tool_result carries what the model reads of it (modelOutputOf: the tool's
// toModelOutput mapping), never the output the mapping replaced, whether it is text or blocks.

const results = (messages: MessageParam[]) =>
  (messages[1]?.content ?? []) as ToolResultBlockParam[];

const SCREENSHOT = [
  { type: "text", text: "Screenshot:" },
  { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
];

describe("anthropic follow-up: the model's form of an output", () => {
  it("sends the mapping as text when the real output is a list of result blocks", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(message([toolUse("toolu_A", "shot")]));
    const mapped: ToolResult = {
      ...toolSuccess(batch.calls[0] as never, SCREENSHOT),
      modelOutput: "A screenshot was taken; it cannot be shown.",
    };
    const followUp = adapter.toFollowUp(batch, [mapped]);
    expect(results(followUp)).toStrictEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_A",
        content: "A screenshot was taken; it cannot be shown.",
      },
    ]);
    expect(specProblems(followUp)).toStrictEqual([]);
  });

  it("sends the mapping as blocks when it is a list of result blocks", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(message([toolUse("toolu_A", "shot")]));
    const mapped: ToolResult = {
      ...toolSuccess(batch.calls[0] as never, { path: "/internal/shot.png" }),
      modelOutput: SCREENSHOT,
    };
    const followUp = adapter.toFollowUp(batch, [mapped]);
    expect(results(followUp)).toStrictEqual([
      { type: "tool_result", tool_use_id: "toolu_A", content: SCREENSHOT },
    ]);
    expect(specProblems(followUp)).toStrictEqual([]);
  });
});
