import { assistantTurnsOf, expectInvalidHistory } from "@toolbatch/contract";
import { describe, expect, it } from "vitest";
import { anthropicTranscript } from "../src/index.js";

const codec = anthropicTranscript();

describe("anthropicTranscript refuses a malformed history", () => {
  const ok = { role: "user", content: "hi" };
  it.each([
    { entry: null, got: "got null" },
    { entry: 42, got: "got 42" },
    { entry: {}, got: "got role undefined and content undefined" },
    { entry: { role: "user" }, got: "content undefined" },
    { entry: { role: "user", content: 42 }, got: "content 42" },
    { entry: { role: 1, content: "hi" }, got: "role 1" },
    { entry: { role: "assistant", content: [null] }, got: "content[0] is not a content block" },
    {
      entry: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [7] }] },
      got: "content[0].content[0]",
    },
    {
      entry: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: {} }] },
      got: "content[0].content is not tool_result content",
    },
    {
      entry: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: 7 }] },
      got: "got 7",
    },
    {
      entry: { role: "user", content: [{ type: "text" }] },
      got: "is not a text block: expected text a string, got undefined",
    },
    {
      entry: { role: "assistant", content: [{ type: "tool_use", id: "a", name: 3, input: {} }] },
      got: "expected name a string, got 3",
    },
    {
      entry: { role: "user", content: [{ type: "tool_result" }] },
      got: "expected tool_use_id a string",
    },
  ])("$entry", ({ entry, got }) => {
    expectInvalidHistory(codec, [ok, ok, entry], {
      index: 2,
      source: "toolbatch/anthropic",
      says: got,
    });
  });

  it("refuses a block whose type is not a string", () => {
    expectInvalidHistory(codec, [ok, { role: "assistant", content: [{ type: 42 }] }], {
      index: 1,
      source: "toolbatch/anthropic",
      says: ".content[0] is not a content block: expected an object with a string type, got type 42.",
    });
  });

  // Their fields were looked up with READ_FIELDS[type] on a plain object: a TypeError each.
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "reads a block of type %s like any unknown block: kept for Anthropic, dropped from a user turn",
    (type) => {
      const { transcript, warnings } = codec.read([
        ok,
        {
          role: "assistant",
          content: [
            { type, text: "x" },
            { type: "text", text: "Hello" },
          ],
        },
        {
          role: "user",
          content: [
            { type, text: "y" },
            { type: "text", text: "Bye" },
          ],
        },
      ] as never);
      expect(transcript.turns.map((turn) => turn.text)).toStrictEqual(["hi", "Hello", "Bye"]);
      expect(assistantTurnsOf(transcript)[0]?.state).toStrictEqual([
        { vendor: "anthropic", kind: type, value: { type, text: "x" } },
      ]);
      expect(warnings.map((warning) => warning.code)).toStrictEqual(["content-dropped"]);
    },
  );

  it("still reads an unknown role with a warning", () => {
    expect(codec.read([{ role: "critic", content: "x" } as never]).warnings).toHaveLength(1);
  });
});
