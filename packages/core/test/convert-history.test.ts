import { describe, expect, it } from "vitest";
import {
  convertHistory,
  InvalidOptionError,
  type Transcript,
  type TranscriptCodec,
} from "../src/index.js";

/** A codec over plain texts, keeping system instructions where `placement` says. */
function codec(placement: TranscriptCodec<string>["systemPlacement"]): TranscriptCodec<string> {
  return {
    vendor: `texts-${placement ?? "undeclared"}`,
    ...(placement ? { systemPlacement: placement } : {}),
    read: (history) => {
      const system = history.find((line) => line.startsWith("system: "));
      const turns = history
        .filter((line) => line !== system)
        .map((text) => ({ role: "user" as const, text }));
      const transcript: Transcript = system ? { system: system.slice(8), turns } : { turns };
      return { transcript, warnings: [] };
    },
    render: ({ system, turns }) => ({
      messages: [
        ...(system && placement !== "request" && placement !== "none" ? [`system: ${system}`] : []),
        ...turns.map((turn) => turn.text),
      ],
      ...(system && placement === "request" ? { system } : {}),
      idMap: new Map(),
      warnings: [],
    }),
  };
}

const codes = (warnings: readonly { code: string }[]) => warnings.map((warning) => warning.code);

describe("convertHistory and system instructions", () => {
  // Anthropic's system and Gemini's systemInstruction live outside the history: converting from
  // them lost the system prompt without a word.
  it("carries the system text a source keeps outside its history, when given", () => {
    const converted = convertHistory(["hi"], codec("request"), codec("request"), {
      system: "Be brief.",
    });
    expect(converted).toStrictEqual({
      messages: ["hi"],
      system: "Be brief.",
      idMap: new Map(),
      warnings: [],
    });
  });

  it("puts it first, before the system text the history holds, and counts the same text once", () => {
    const from = codec("history");
    const to = codec("request");
    const history = ["system: From the history.", "hi"];
    expect(convertHistory(history, from, to, { system: "Given." }).system).toBe(
      "Given.\n\nFrom the history.",
    );
    expect(convertHistory(history, from, to, { system: "From the history." }).system).toBe(
      "From the history.",
    );
    expect(convertHistory(history, from, to).system).toBe("From the history.");
  });

  it("says so when the target carries it in the history, and when the target has none", () => {
    const intoHistory = convertHistory(["hi"], codec("request"), codec("history"), {
      system: "Be brief.",
    });
    expect(intoHistory.messages).toStrictEqual(["system: Be brief.", "hi"]);
    expect(intoHistory.system).toBeUndefined();
    expect(codes(intoHistory.warnings)).toStrictEqual(["system-in-history"]);
    // A codec that does not declare its placement is read as one that keeps it in the history.
    expect(
      codes(convertHistory(["hi"], codec("request"), codec(undefined), { system: "x" }).warnings),
    ).toStrictEqual(["system-in-history"]);

    const nowhere = convertHistory(["system: Be brief.", "hi"], codec("history"), codec("none"));
    expect(nowhere.messages).toStrictEqual(["hi"]);
    expect(nowhere.warnings).toStrictEqual([
      {
        code: "system-dropped",
        message:
          "texts-none has no system instructions, so the system text is not sent; put what it says in the first user message if it matters.",
      },
    ]);
  });

  it("keeps the three-argument form, and refuses a system that is not a string", () => {
    const converted = convertHistory(["hi"], codec("request"), codec("history"));
    expect(converted).toStrictEqual({ messages: ["hi"], idMap: new Map(), warnings: [] });
    expect(() =>
      convertHistory(["hi"], codec("request"), codec("request"), { system: 42 as never }),
    ).toThrow(InvalidOptionError);
    expect(() =>
      convertHistory(["hi"], codec("request"), codec("request"), { system: 42 as never }),
    ).toThrow('[toolbatch/core] Option "system" must be a string');
  });

  // A JavaScript caller who passes the system text itself, or null, as the fourth argument: the
  // string was ignored, losing the system prompt without a word (what item 15 was about), and null
  // threw "Cannot read properties of null".
  it("refuses options that are not an object, rather than dropping the system text they meant", () => {
    for (const options of ["Be brief.", null, 42, ["Be brief."]]) {
      expect(() =>
        convertHistory(["hi"], codec("request"), codec("request"), options as never),
      ).toThrow('[toolbatch/core] Option "options" must be an object such as { system }');
    }
  });
});
