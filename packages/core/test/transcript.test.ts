import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ANTHROPIC_CALL_IDS,
  convertHistory,
  createTranscriptBuilder,
  derivePortableCallId,
  describeValue,
  InvalidHistoryError,
  InvalidTranscriptError,
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
  PORTABLE_CALL_ID,
  prepareTranscript,
  readOutputText,
  readResultText,
  renderOutputText,
  renderTranscriptResultText,
  ToolbatchError,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCodec,
  type TranscriptTurn,
} from "../src/index.js";

const target = { vendor: "anthropic", callIds: ANTHROPIC_CALL_IDS, source: "toolbatch/test" };

function assistant(
  ids: readonly string[],
  extra: Partial<TranscriptAssistantTurn> = {},
): TranscriptAssistantTurn {
  const calls = ids.map((id, index) => ({ id, name: `tool${index}`, input: { index } }));
  return {
    role: "assistant",
    text: "",
    calls,
    results: calls.map((call) => ({
      callId: call.id,
      name: call.name,
      isError: false,
      output: `out ${call.id}`,
    })),
    ...extra,
  };
}

function assistantTurns(transcript: {
  turns: readonly TranscriptTurn[];
}): TranscriptAssistantTurn[] {
  return transcript.turns.filter(
    (turn): turn is TranscriptAssistantTurn => turn.role === "assistant",
  );
}

describe("derivePortableCallId", () => {
  it("is a portable id, the same for the same seed and attempt", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(50), (seed, attempt) => {
        const id = derivePortableCallId(seed, attempt);
        expect(id).toMatch(PORTABLE_CALL_ID);
        expect(derivePortableCallId(seed, attempt)).toBe(id);
      }),
    );
  });

  it("spreads close seeds apart", () => {
    const ids = new Set(
      Array.from({ length: 10_000 }, (_, n) => derivePortableCallId(`call_${n}`)),
    );
    expect(ids.size).toBe(10_000);
  });
});

describe("createTranscriptBuilder", () => {
  it("pairs results by id whatever order they come in, and keeps call order", () => {
    const builder = createTranscriptBuilder();
    builder.user("weather?");
    builder.assistant({
      text: "",
      calls: [
        { id: "a", name: "weather", input: { city: "Paris" } },
        { id: "b", name: "weather", input: { city: "Rome" } },
      ],
    });
    builder.result({ callId: "b", isError: false, output: "sunny" });
    builder.result({ callId: "a", isError: true, output: "Error: down" });
    const { transcript, warnings } = builder.finish();
    expect(warnings).toEqual([]);
    expect(assistantTurns(transcript)[0]?.results).toStrictEqual([
      { callId: "a", name: "weather", isError: true, output: "Error: down" },
      { callId: "b", name: "weather", isError: false, output: "sunny" },
    ]);
  });

  it("pairs id-less results by name, then order (Gemini), and gives id-less calls stable portable ids", () => {
    const read = () => {
      const builder = createTranscriptBuilder();
      builder.assistant({
        text: "",
        calls: [
          { name: "weather", input: { city: "Paris" } },
          { name: "time", input: {} },
          { name: "weather", input: { city: "Rome" } },
        ],
      });
      builder.result({ name: "time", isError: false, output: "noon" });
      builder.result({ name: "weather", isError: false, output: "Paris: sunny" });
      builder.result({ name: "weather", isError: false, output: "Rome: rain" });
      return builder.finish().transcript;
    };
    const transcript = read();
    const turn = assistantTurns(transcript)[0] as TranscriptAssistantTurn;
    expect(turn.calls.every((call) => call.idSynthesized && PORTABLE_CALL_ID.test(call.id))).toBe(
      true,
    );
    expect(new Set(turn.calls.map((call) => call.id)).size).toBe(3);
    expect(turn.results?.map((result) => result.output)).toEqual([
      "Paris: sunny",
      "noon",
      "Rome: rain",
    ]);
    expect(turn.results?.map((result) => result.callId)).toEqual(turn.calls.map((call) => call.id));
    expect(read()).toStrictEqual(transcript);
  });

  it("answers unanswered calls and drops results that answer nothing, with warnings", () => {
    const builder = createTranscriptBuilder();
    builder.result({ callId: "x", isError: false, output: "early" });
    builder.assistant({
      text: "",
      calls: [
        { id: "a", name: "one", input: {} },
        { id: "b", name: "two", input: {} },
      ],
    });
    builder.result({ callId: "a", isError: false, output: "1" });
    builder.result({ callId: "zzz", isError: false, output: "stray" });
    builder.user("next");
    const { transcript, warnings } = builder.finish();
    expect(warnings.map((warning) => warning.code)).toEqual([
      "result-orphaned",
      "result-orphaned",
      "result-missing",
    ]);
    const results = assistantTurns(transcript)[0]?.results;
    expect(results?.[1]).toMatchObject({ callId: "b", isError: true });
  });

  it("leaves the calls of a last, unanswered turn pending", () => {
    const builder = createTranscriptBuilder();
    builder.user("go");
    builder.assistant({ text: "on it", calls: [{ id: "a", name: "one", input: {} }] });
    const { transcript, warnings } = builder.finish();
    expect(warnings).toEqual([]);
    expect(assistantTurns(transcript)[0]?.results).toBeUndefined();
  });

  it("reads a batch written as one assistant message per call as one turn, with every result", () => {
    const builder = createTranscriptBuilder();
    builder.user("weather?");
    builder.assistant({
      text: "",
      calls: [{ id: "a", name: "weather", input: { city: "Paris" } }],
    });
    builder.assistant({ text: "", calls: [{ id: "b", name: "weather", input: { city: "Rome" } }] });
    builder.result({ callId: "a", isError: false, output: "18" });
    builder.result({ callId: "b", isError: false, output: "21" });
    builder.assistant({ text: "18 and 21." });
    const { transcript, warnings } = builder.finish();
    expect(warnings).toEqual([]);
    const [batch, answer] = assistantTurns(transcript);
    expect(batch?.calls.map((call) => call.id)).toStrictEqual(["a", "b"]);
    expect(batch?.results?.map((result) => result.output)).toStrictEqual(["18", "21"]);
    expect(answer).toStrictEqual({ role: "assistant", text: "18 and 21.", calls: [], results: [] });
  });

  it("pairs a result whose id no call has only with the id-less calls", () => {
    const builder = createTranscriptBuilder();
    builder.assistant({
      text: "",
      calls: [
        { id: "a", name: "weather", input: {} },
        { name: "weather", input: {} },
      ],
    });
    builder.result({ callId: "made-up", name: "weather", isError: false, output: "second" });
    builder.result({ callId: "a", isError: false, output: "first" });
    const { transcript, warnings } = builder.finish();
    expect(warnings).toEqual([]);
    expect(assistantTurns(transcript)[0]?.results?.map((result) => result.output)).toStrictEqual([
      "first",
      "second",
    ]);
  });

  it("shares nothing with what it was given", () => {
    const input = { city: "Paris" };
    const output = { celsius: 18 };
    const state = { vendor: "v", kind: "k", value: { secret: 1 } };
    const builder = createTranscriptBuilder();
    builder.assistant({ text: "", calls: [{ id: "a", name: "w", input, state }], state: [state] });
    builder.result({ callId: "a", isError: false, output });
    const turn = assistantTurns(builder.finish().transcript)[0] as TranscriptAssistantTurn;
    expect(turn.calls[0]?.input).toStrictEqual(input);
    expect(turn.calls[0]?.input).not.toBe(input);
    expect(turn.calls[0]?.state?.value).not.toBe(state.value);
    expect(turn.state?.[0]?.value).not.toBe(state.value);
    expect(turn.results?.[0]?.output).not.toBe(output);
  });

  it("joins system texts and consecutive user texts, and says when a system message moved", () => {
    const builder = createTranscriptBuilder();
    builder.system("be brief");
    builder.user("a");
    builder.user("b");
    builder.system("be kind");
    const { transcript, warnings } = builder.finish();
    expect(transcript).toStrictEqual({
      system: "be brief\n\nbe kind",
      turns: [{ role: "user", text: "a\n\nb" }],
    });
    expect(warnings.map((warning) => warning.code)).toEqual(["system-moved"]);
  });
});

describe("prepareTranscript", () => {
  it("re-maps ids the vendor rejects, the same in call and result, and lists them in idMap", () => {
    const transcript: Transcript = {
      turns: [{ role: "user", text: "hi" }, assistant(["functions.write:0", "toolu_ok"])],
    };
    const prepared = prepareTranscript(transcript, target);
    const turn = assistantTurns(prepared)[0] as TranscriptAssistantTurn;
    const [first, second] = turn.calls;
    expect(first?.id).toMatch(PORTABLE_CALL_ID);
    expect(second?.id).toBe("toolu_ok");
    expect(turn.results?.map((result) => result.callId)).toEqual([first?.id, "toolu_ok"]);
    expect([...prepared.idMap]).toEqual([[first?.id, "functions.write:0"]]);
    expect(prepared.warnings.map((warning) => warning.code)).toEqual(["id-remapped"]);
  });

  it("makes repeated ids unique, also across turns (local servers reuse call_0)", () => {
    const transcript: Transcript = {
      turns: [assistant(["call_0", "call_0"]), assistant(["call_0"])],
    };
    const prepared = prepareTranscript(transcript, {
      ...target,
      vendor: "openai-chat",
      callIds: OPENAI_CALL_IDS,
    });
    const ids = assistantTurns(prepared).flatMap((turn) => turn.calls.map((call) => call.id));
    expect(ids[0]).toBe("call_0");
    expect(new Set(ids).size).toBe(3);
    for (const turn of assistantTurns(prepared)) {
      expect(turn.results?.map((result) => result.callId)).toEqual(
        turn.calls.map((call) => call.id),
      );
    }
  });

  it("never hands out a derived id that a later call keeps", () => {
    const derived = derivePortableCallId("bad id");
    const transcript: Transcript = { turns: [assistant(["bad id"]), assistant([derived])] };
    const prepared = prepareTranscript(transcript, {
      ...target,
      callIds: MISTRAL_CALL_IDS,
    });
    const ids = assistantTurns(prepared).flatMap((turn) => turn.calls.map((call) => call.id));
    expect(ids[1]).toBe(derived);
    expect(ids[0]).not.toBe(derived);
  });

  it("keeps the target vendor's state and drops any other with one warning per vendor and kind", () => {
    const transcript: Transcript = {
      turns: [
        assistant(["a"], {
          state: [
            { vendor: "anthropic", kind: "thinking", value: { type: "thinking" } },
            { vendor: "openai-responses", kind: "reasoning", value: {} },
            { vendor: "openai-responses", kind: "reasoning", value: {} },
          ],
        }),
        {
          ...assistant(["b"]),
          calls: [
            {
              id: "b",
              name: "tool0",
              input: {},
              state: { vendor: "gemini", kind: "thought-signature", value: "sig" },
            },
          ],
        },
      ],
    };
    const prepared = prepareTranscript(transcript, target);
    const [first, second] = assistantTurns(prepared);
    expect(first?.state).toEqual([
      { vendor: "anthropic", kind: "thinking", value: { type: "thinking" } },
    ]);
    expect(second?.calls[0]).not.toHaveProperty("state");
    expect(prepared.warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["state-dropped", 0],
      ["state-dropped", 1],
    ]);
  });

  it("refuses results that do not answer the calls one to one, in order", () => {
    const swapped = assistant(["a", "b"]);
    const transcript: Transcript = {
      turns: [{ ...swapped, results: [...(swapped.results ?? [])].reverse() }],
    };
    expect(() => prepareTranscript(transcript, target)).toThrow(InvalidTranscriptError);
    const short: Transcript = { turns: [{ ...swapped, results: swapped.results?.slice(1) }] };
    const error = (() => {
      try {
        prepareTranscript(short, target);
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidTranscriptError.isInstance(error)).toBe(true);
    expect((error as InvalidTranscriptError).turn).toBe(0);
    expect((error as Error).message).toMatch(
      /^\[toolbatch\/test\] turn 0 has 2 call\(s\) but 1 result/,
    );
  });

  it("refuses unanswered calls anywhere but in the last turn", () => {
    const { results: _results, ...pending } = assistant(["a"]);
    expect(() => prepareTranscript({ turns: [pending] }, target)).not.toThrow();
    expect(() =>
      prepareTranscript({ turns: [pending, { role: "user", text: "and?" }] }, target),
    ).toThrow(/turn 0 has 1 call\(s\) and no results; only the last turn may wait/);
  });

  it("returns turns that share nothing with the transcript", () => {
    const results = [{ callId: "a", name: "tool0", isError: false, output: { n: 1 } }];
    const transcript: Transcript = { turns: [assistant(["a"], { results })] };
    const prepared = prepareTranscript(transcript, target);
    const [source] = assistantTurns(transcript);
    const turn = prepared.turns[0] as TranscriptAssistantTurn;
    expect(turn.calls[0]?.input).toStrictEqual(source?.calls[0]?.input);
    expect(turn.calls[0]?.input).not.toBe(source?.calls[0]?.input);
    expect(turn.results?.[0]?.output).not.toBe(source?.results?.[0]?.output);
  });

  it("is pure: a frozen transcript goes through, and twice gives the same", () => {
    const transcript = deepFreeze<Transcript>({
      system: "sys",
      turns: [{ role: "user", text: "x" }, assistant(["a b", "c"]), assistant(["a b"])],
    });
    const first = prepareTranscript(transcript, target);
    expect(prepareTranscript(transcript, target)).toStrictEqual(first);
  });
});

describe("result text", () => {
  it("reads text that is exactly an object's or array's JSON as the value, anything else as text", () => {
    expect(readOutputText('{"city":"Paris","n":[1,2]}')).toEqual({ city: "Paris", n: [1, 2] });
    expect(readOutputText("[1,2]")).toEqual([1, 2]);
    expect(readOutputText('{ "city": "Paris" }')).toBe('{ "city": "Paris" }');
    expect(readOutputText("42")).toBe("42");
    expect(readOutputText('"quoted"')).toBe('"quoted"');
    expect(readOutputText("{not json")).toBe("{not json");
    expect(readResultText('Error: {"a":1}')).toEqual({ isError: true, output: 'Error: {"a":1}' });
  });

  it("never changes the text the model read: rendering what was read gives the text back", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
        ),
        (text) => {
          expect(renderOutputText(readOutputText(text))).toBe(text);
        },
      ),
    );
  });

  it("reads toolbatch's error text as an error, and renders errors so they read back as errors", () => {
    expect(readResultText("Error (timeout): too slow")).toEqual({
      isError: true,
      output: "Error (timeout): too slow",
    });
    expect(readResultText("Errors are fine")).toMatchObject({ isError: false });
    const rendered = renderTranscriptResultText({
      callId: "a",
      name: "t",
      isError: true,
      output: { reason: "down" },
    });
    expect(rendered).toBe('Error: {"reason":"down"}');
    expect(readResultText(rendered).isError).toBe(true);
    expect(
      renderTranscriptResultText({
        callId: "a",
        name: "t",
        isError: true,
        output: "Error (timeout): x",
      }),
    ).toBe("Error (timeout): x");
  });
});

describe("convertHistory", () => {
  it("reads with one codec, renders with the other, and returns both steps' warnings", () => {
    const from: TranscriptCodec<string> = {
      vendor: "lines",
      read: (history) => {
        const builder = createTranscriptBuilder();
        for (const line of history) builder.user(line);
        builder.warn("content-dropped", "read warning");
        return builder.finish();
      },
      render: () => ({ messages: [], idMap: new Map(), warnings: [] }),
    };
    const to: TranscriptCodec<{ text: string }> = {
      vendor: "objects",
      read: () => ({ transcript: { turns: [] }, warnings: [] }),
      render: (transcript) => ({
        messages: transcript.turns.map((turn) => ({ text: turn.text })),
        idMap: new Map(),
        warnings: [{ code: "state-dropped", message: "render warning" }],
      }),
    };
    const converted = convertHistory(["a", "b"], from, to);
    expect(converted.messages).toEqual([{ text: "a\n\nb" }]);
    expect(converted.warnings.map((warning) => warning.message)).toEqual([
      "read warning",
      "render warning",
    ]);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe("InvalidHistoryError", () => {
  it("names the package, keeps the index, and is recognised by marker across copies", () => {
    const error = new InvalidHistoryError(" is not a message.", 3, "toolbatch/test");
    expect(error.message).toBe("[toolbatch/test] history[3] is not a message.");
    expect(error.name).toBe("InvalidHistoryError");
    expect(error.index).toBe(3);
    expect(InvalidHistoryError.isInstance(error)).toBe(true);
    expect(ToolbatchError.isInstance(error)).toBe(true);
    expect(new InvalidHistoryError(".parts is x", 0).message).toBe(
      "[toolbatch/core] history[0].parts is x",
    );
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("toolbatch.error.invalid-history")]: true,
    });
    expect(InvalidHistoryError.isInstance(foreign)).toBe(true);
    expect(InvalidHistoryError.isInstance(new InvalidTranscriptError("x", 0))).toBe(false);
    expect(InvalidHistoryError.isInstance(null)).toBe(false);
  });

  it("describes the value it got, briefly", () => {
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue(42)).toBe("42");
    expect(describeValue("hi")).toBe('"hi"');
    expect(describeValue("x".repeat(50))).toBe(`"${"x".repeat(40)}…"`);
    expect(describeValue([1])).toBe("an array");
    expect(describeValue({ a: 1 })).toBe("an object");
  });
});
