import type {
  MessageCreateParams,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { anthropicWire, assistantTurnsOf, deepFreeze, withOriginalIds } from "@toolbatch/contract";
import {
  ANTHROPIC_CALL_IDS,
  InvalidTranscriptError,
  type Transcript,
  type TranscriptAssistantTurn,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { anthropic, anthropicTranscript } from "../src/index.js";
import { message, text, thinking, toolUse, webSearch, webSearchResult } from "./support.js";
import { conversations, renderedProblems } from "./transcript-support.js";

const codec = anthropicTranscript();

const codes = (warnings: readonly { code: string }[]) => warnings.map((warning) => warning.code);

/** An assistant turn whose calls all got `out <id>`. */
function answered(
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

describe("anthropicTranscript on the recorded conversations", () => {
  it("has recordings to read", () => {
    expect(conversations.map((recording) => recording.key)).toEqual(["an1", "an2", "an3"]);
  });

  for (const recording of conversations) {
    const history = anthropicWire.history(recording.followUpRequest as MessageCreateParams);
    const recorded = anthropicWire.readResults(history);

    it(`${recording.key}: reads the user, the calls as recorded and their results, paired`, () => {
      const { transcript, warnings } = codec.read(history);
      expect(warnings).toEqual([]);
      expect(transcript.system).toBeUndefined();
      expect(transcript.turns.map((turn) => turn.role)).toEqual(["user", "assistant"]);
      const [turn] = assistantTurnsOf(transcript);
      expect(turn?.calls).toStrictEqual(
        recording.expected.calls.map(({ id, name, input }) => ({ id, name, input })),
      );
      expect(turn?.results).toStrictEqual(
        turn?.calls.map((call, index) => ({
          callId: call.id,
          name: call.name,
          isError: false,
          output: recorded[index]?.text,
        })),
      );
      expect(turn?.text).not.toBe("");
    });

    it(`${recording.key}: renders a history the Anthropic schema accepts, with the recorded calls and results`, () => {
      const rendered = codec.render(codec.read(history).transcript);
      expect(renderedProblems(rendered)).toEqual([]);
      expect(rendered.warnings).toEqual([]);
      expect(rendered.idMap.size).toBe(0);
      expect(anthropicWire.comparable(rendered.messages)).toStrictEqual(
        anthropicWire.comparable(history),
      );
    });

    it(`${recording.key}: round-trips; only the spelling of the same content differs from the recording`, () => {
      const { transcript } = codec.read(history);
      const rendered = codec.render(transcript);
      expect(codec.read(rendered.messages)).toStrictEqual({ transcript, warnings: [] });
      // The recording spells the user's text and the results as text blocks (and an3 writes
      // is_error: false); the render writes strings, and leaves a false flag out.
      const [user, assistant, results] = rendered.messages;
      const [recordedText] = (history[0]?.content ?? []) as TextBlockParam[];
      expect(user).toStrictEqual({ role: "user", content: recordedText?.text });
      expect(assistant?.content).toStrictEqual(history[1]?.content);
      expect(results?.content).toStrictEqual(
        recorded.map((result) => ({
          type: "tool_result",
          tool_use_id: result.callId,
          content: result.text,
        })),
      );
    });
  }
});

describe("anthropicTranscript keeps what only Anthropic reads", () => {
  // The follow-up the adapter writes for a thinking turn: the turn verbatim, then the results.
  const adapter = anthropic();
  const turn = message([
    thinking("Two cities.", "sig-1"),
    { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" },
    text("Checking both."),
    toolUse("toolu_A", "get_weather", { city: "Paris" }),
    toolUse("toolu_B", "get_weather", { city: "Tokyo" }),
  ]);
  const batch = adapter.toBatch(turn);
  const followUp = adapter.toFollowUp(batch, [
    toolSuccess(batch.calls[0] as { id: string; name: string }, { celsius: 18 }),
    toolFailure(batch.calls[1] as { id: string; name: string }, "timeout", "too slow"),
  ]);
  const history: MessageParam[] = [{ role: "user", content: "Weather?" }, ...followUp];

  it("reads thinking and redacted thinking verbatim as anthropic state", () => {
    const { transcript, warnings } = codec.read(history);
    expect(warnings).toEqual([]);
    expect(assistantTurnsOf(transcript)[0]).toStrictEqual({
      role: "assistant",
      text: "Checking both.",
      calls: [
        { id: "toolu_A", name: "get_weather", input: { city: "Paris" } },
        { id: "toolu_B", name: "get_weather", input: { city: "Tokyo" } },
      ],
      results: [
        { callId: "toolu_A", name: "get_weather", isError: false, output: { celsius: 18 } },
        {
          callId: "toolu_B",
          name: "get_weather",
          isError: true,
          output: "Error (timeout): too slow",
        },
      ],
      state: [
        {
          vendor: "anthropic",
          kind: "thinking",
          value: { type: "thinking", thinking: "Two cities.", signature: "sig-1" },
        },
        {
          vendor: "anthropic",
          kind: "redacted_thinking",
          value: { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" },
        },
      ],
    });
  });

  it("renders the adapter's own follow-up back, but for what says nothing", () => {
    const rendered = codec.render(codec.read(history).transcript);
    expect(rendered.warnings).toEqual([]);
    expect(renderedProblems(rendered)).toEqual([]);
    // `caller: { type: "direct" }` is what a call without a caller means, and `citations: null`
    // what text without citations means; neither is kept.
    const withoutDefaults = history.map((entry) =>
      typeof entry.content === "string"
        ? entry
        : {
            ...entry,
            content: entry.content.map((block) => {
              if (block.type === "tool_use") {
                const { caller: _caller, ...rest } = block;
                return rest;
              }
              if (block.type === "text") {
                const { citations: _citations, ...rest } = block;
                return rest;
              }
              return block;
            }),
          },
    );
    expect(rendered.messages).toStrictEqual(withoutDefaults);
  });

  it("keeps server-tool blocks as state, before the text, and never answers them", () => {
    const mixed: MessageParam[] = [
      { role: "user", content: "Search, then look it up." },
      {
        role: "assistant",
        content: [
          text("Searching."),
          webSearch("srvtoolu_1", "toolbatch"),
          webSearchResult("srvtoolu_1"),
          toolUse("toolu_C", "lookup", { q: "toolbatch" }),
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_C", content: "ok" }] },
    ];
    const { transcript, warnings } = codec.read(mixed);
    expect(warnings).toEqual([]);
    const [turn] = assistantTurnsOf(transcript);
    expect(turn?.state?.map((state) => state.kind)).toEqual([
      "server_tool_use",
      "web_search_tool_result",
    ]);
    expect(turn?.calls.map((call) => call.id)).toEqual(["toolu_C"]);
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    const content = rendered.messages[1]?.content as { type: string }[];
    expect(content.map((block) => block.type)).toEqual([
      "server_tool_use",
      "web_search_tool_result",
      "text",
      "tool_use",
    ]);
    expect(content[0]).toStrictEqual(webSearch("srvtoolu_1", "toolbatch"));
    expect(rendered.messages[2]?.content).toHaveLength(1);
  });

  it("keeps a code-execution caller and a toolset name for Anthropic, on the call and its result", () => {
    const caller = { type: "code_execution_20250825", tool_id: "srvtoolu_2" } as const;
    const programmatic: MessageParam[] = [
      { role: "user", content: "Go." },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "toolu_D", name: "query", input: {}, caller },
          {
            type: "tool_use",
            id: "toolu_E",
            name: "screenshot",
            input: {},
            toolset_name: "browser",
          },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_D", content: "rows" },
          { type: "tool_result", tool_use_id: "toolu_E", content: "png", toolset_name: "browser" },
        ],
      },
    ];
    const { transcript } = codec.read(programmatic);
    expect(assistantTurnsOf(transcript)[0]?.calls.map((call) => call.state)).toStrictEqual([
      { vendor: "anthropic", kind: "tool-use-fields", value: { caller } },
      { vendor: "anthropic", kind: "tool-use-fields", value: { toolset_name: "browser" } },
    ]);
    const rendered = codec.render(transcript);
    expect(rendered.messages).toStrictEqual(programmatic);
    const elsewhere = anthropicTranscript({ vendor: "deepseek" }).render(transcript);
    expect(codes(elsewhere.warnings)).toEqual(["state-dropped", "state-dropped"]);
    expect(elsewhere.messages[1]?.content).toStrictEqual([
      { type: "tool_use", id: "toolu_D", name: "query", input: {} },
      { type: "tool_use", id: "toolu_E", name: "screenshot", input: {} },
    ]);
  });

  it("writes the codec's vendor on the state, so another Anthropic-compatible server's is dropped", () => {
    const deepseek = anthropicTranscript({ vendor: "deepseek" });
    expect(deepseek.vendor).toBe("deepseek");
    expect(codec.vendor).toBe("anthropic");
    const { transcript } = deepseek.read(history);
    expect(assistantTurnsOf(transcript)[0]?.state?.map((state) => state.vendor)).toEqual([
      "deepseek",
      "deepseek",
    ]);
    const rendered = codec.render(transcript);
    expect(rendered.messages[1]?.content).toHaveLength(3);
    expect(rendered.warnings.map((warning) => warning.message)).toEqual([
      "deepseek thinking state cannot be sent to anthropic; it is dropped (the turns and calls it came with are sent without it).",
      "deepseek redacted_thinking state cannot be sent to anthropic; it is dropped (the turns and calls it came with are sent without it).",
      expect.stringMatching(/thinking disabled/),
    ]);
  });
});

describe("anthropicTranscript renders other vendors' conversations", () => {
  it("drops their state with a warning, and says once that thinking must be off", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "go" },
        answered(["call_1"], {
          text: "one",
          state: [{ vendor: "openai-responses", kind: "reasoning", value: { id: "rs_1" } }],
        }),
        {
          ...answered(["call_2"]),
          calls: [
            {
              id: "call_2",
              name: "tool0",
              input: {},
              state: { vendor: "gemini", kind: "thought-signature", value: "c2ln" },
            },
          ],
        },
        answered([], {
          text: "done",
          state: [{ vendor: "openai-responses", kind: "reasoning", value: { id: "rs_3" } }],
        }),
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.warnings).toStrictEqual([
      {
        code: "state-dropped",
        message:
          "openai-responses reasoning state cannot be sent to anthropic; it is dropped (the turns and calls it came with are sent without it).",
        turn: 1,
      },
      {
        code: "state-dropped",
        message:
          "gemini thought-signature state cannot be sent to anthropic; it is dropped (the turns and calls it came with are sent without it).",
        turn: 2,
      },
      {
        code: "state-dropped",
        message: expect.stringContaining(
          "Anthropic requires the last assistant turn with tool_use to start with one",
        ),
        turn: 2,
      },
    ]);
    expect(rendered.messages.map((entry) => entry.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(rendered.messages[1]?.content).toStrictEqual([
      { type: "text", text: "one" },
      { type: "tool_use", id: "call_1", name: "tool0", input: { index: 0 } },
    ]);
  });

  it("re-maps ids Anthropic rejects or that repeat, the same in call and result, and lists them", () => {
    const long = `call_${"x".repeat(300)}`;
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "go" },
        answered(["functions.get_weather:0", "call_0", "call_0"]),
        answered(["call_0", "fc_1|call_1", long]),
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    const uses = rendered.messages.flatMap((entry) =>
      typeof entry.content === "string"
        ? []
        : entry.content.flatMap((block) => (block.type === "tool_use" ? [block.id] : [])),
    );
    const answers = rendered.messages.flatMap((entry) =>
      typeof entry.content === "string"
        ? []
        : entry.content.flatMap((block) =>
            block.type === "tool_result" ? [block.tool_use_id] : [],
          ),
    );
    expect(uses).toHaveLength(6);
    expect(new Set(uses).size).toBe(6);
    expect(answers).toEqual(uses);
    expect(uses.every((id) => ANTHROPIC_CALL_IDS.accepts(id))).toBe(true);
    expect(uses[1]).toBe("call_0");
    expect(uses[5]).toBe(long);
    expect(new Map([...rendered.idMap].map(([to, from]) => [uses.indexOf(to), from]))).toEqual(
      new Map([
        [0, "functions.get_weather:0"],
        [2, "call_0"],
        [3, "call_0"],
        [4, "fc_1|call_1"],
      ]),
    );
    expect(codes(rendered.warnings)).toEqual(["id-remapped"]);
    const back = codec.read(rendered.messages).transcript;
    expect(withOriginalIds(back, rendered.idMap)).toStrictEqual(transcript);
  });

  it("sends an input that is not an object wrapped, with a warning, and no input as {}", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "patch" },
        {
          role: "assistant",
          text: "",
          calls: [
            { id: "call_a", name: "apply_patch", input: "*** Begin Patch" },
            { id: "call_b", name: "list", input: [1, 2] },
            { id: "call_c", name: "noop", input: undefined },
          ],
        },
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.messages[1]?.content).toStrictEqual([
      { type: "tool_use", id: "call_a", name: "apply_patch", input: { input: "*** Begin Patch" } },
      { type: "tool_use", id: "call_b", name: "list", input: { input: [1, 2] } },
      { type: "tool_use", id: "call_c", name: "noop", input: {} },
    ]);
    expect(codes(rendered.warnings)).toEqual(["input-wrapped", "input-wrapped"]);
    expect(rendered.warnings[0]?.message).toMatch(/^Call call_a \(apply_patch\) has an input/);
  });

  it("writes outputs as text, errors with is_error, and leaves an empty output out", () => {
    const transcript: Transcript = {
      turns: [
        {
          role: "assistant",
          text: "",
          calls: [
            { id: "a", name: "weather", input: {} },
            { id: "b", name: "weather", input: {} },
            { id: "c", name: "clear", input: {} },
          ],
          results: [
            { callId: "a", name: "weather", isError: false, output: { celsius: 18 } },
            { callId: "b", name: "weather", isError: true, output: "Error: down" },
            { callId: "c", name: "clear", isError: false, output: "" },
          ],
        },
      ],
    };
    const rendered = codec.render(transcript);
    expect(rendered.messages[1]).toStrictEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "a", content: '{"celsius":18}' },
        { type: "tool_result", tool_use_id: "b", content: "Error: down", is_error: true },
        { type: "tool_result", tool_use_id: "c" },
      ],
    });
    // Anthropic results are text; text that is exactly an object's JSON reads back as the object.
    const back = assistantTurnsOf(codec.read(rendered.messages).transcript)[0];
    expect(back?.results?.map((result) => [result.isError, result.output])).toEqual([
      [false, { celsius: 18 }],
      [true, "Error: down"],
      [false, ""],
    ]);
  });

  it("reads a synthesized id back as an ordinary one: Anthropic has no id-less calls", () => {
    const transcript: Transcript = {
      turns: [
        {
          role: "assistant",
          text: "",
          calls: [{ id: "Ab3dE6gH9", idSynthesized: true, name: "t", input: {} }],
        },
      ],
    };
    const back = codec.read(codec.render(transcript).messages).transcript;
    expect(assistantTurnsOf(back)[0]?.calls).toStrictEqual([
      { id: "Ab3dE6gH9", name: "t", input: {} },
    ]);
  });
});

describe("anthropicTranscript shapes the history as Anthropic wants it", () => {
  it("puts the user's next text after the results, in the same message, and reads it back", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "go" },
        answered(["toolu_1", "toolu_2"], { text: "on it" }),
        { role: "user", text: "and now?" },
        answered([], { text: "all done" }),
        { role: "user", text: "thanks" },
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.messages).toStrictEqual([
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "on it" },
          { type: "tool_use", id: "toolu_1", name: "tool0", input: { index: 0 } },
          { type: "tool_use", id: "toolu_2", name: "tool1", input: { index: 1 } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "out toolu_1" },
          { type: "tool_result", tool_use_id: "toolu_2", content: "out toolu_2" },
          { type: "text", text: "and now?" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "all done" }] },
      { role: "user", content: "thanks" },
    ]);
    expect(codec.read(rendered.messages)).toStrictEqual({ transcript, warnings: [] });
  });

  it("sends consecutive assistant turns as they are, which Anthropic (and read) take as one", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "go" },
        answered([], { text: "Let me check." }),
        answered(["toolu_1"]),
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.messages.map((entry) => entry.role)).toEqual([
      "user",
      "assistant",
      "assistant",
      "user",
    ]);
    expect(codec.read(rendered.messages).transcript.turns).toStrictEqual([
      { role: "user", text: "go" },
      answered(["toolu_1"], { text: "Let me check." }),
    ]);
  });

  it("renders a last turn still waiting for its results, and reads it back as pending", () => {
    const { results: _results, ...pending } = answered(["toolu_1", "toolu_2"]);
    const transcript: Transcript = { turns: [{ role: "user", text: "go" }, pending] };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.messages.map((entry) => entry.role)).toEqual(["user", "assistant"]);
    expect(codec.read(rendered.messages)).toStrictEqual({ transcript, warnings: [] });
  });

  it("refuses unanswered calls before the last turn, and results that do not answer the calls", () => {
    const { results: _results, ...pending } = answered(["toolu_1"]);
    const early: Transcript = { turns: [pending, { role: "user", text: "next" }] };
    expect(() => codec.render(early)).toThrow(InvalidTranscriptError);
    expect(() => codec.render(early)).toThrow(
      /^\[toolbatch\/anthropic\] turn 0 has 1 call\(s\) and no results/,
    );
    const swapped = answered(["toolu_1", "toolu_2"]);
    const wrong: Transcript = {
      turns: [{ ...swapped, results: [...(swapped.results ?? [])].reverse() }],
    };
    expect(() => codec.render(wrong)).toThrow(InvalidTranscriptError);
  });

  it("leaves out turns with nothing to send, with a warning", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "go" },
        answered(["toolu_1"]),
        answered([], {
          text: "\n",
          state: [{ vendor: "openai-responses", kind: "reasoning", value: { id: "rs_1" } }],
        }),
        { role: "user", text: "" },
        { role: "user", text: "next" },
        answered(["toolu_2"], { text: " " }),
        { role: "user", text: " \t" },
      ],
    };
    const rendered = codec.render(transcript);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(rendered.warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["state-dropped", 2],
      ["content-dropped", 2],
      ["content-dropped", 2],
      ["content-dropped", 3],
      ["content-dropped", 5],
      ["content-dropped", 6],
    ]);
    // The results message stays the last one: the user's text joins it.
    expect(rendered.messages).toHaveLength(5);
    expect(rendered.messages[2]?.content).toContainEqual({ type: "text", text: "next" });
    expect(rendered.messages[3]?.content).toStrictEqual([
      { type: "tool_use", id: "toolu_2", name: "tool0", input: { index: 0 } },
    ]);
  });

  it("returns the system instructions as the request field, never as a message", () => {
    const transcript: Transcript = { system: "Be brief.", turns: [{ role: "user", text: "hi" }] };
    const rendered = codec.render(transcript);
    expect(rendered.system).toBe("Be brief.");
    expect(rendered.messages).toStrictEqual([{ role: "user", content: "hi" }]);
    expect(renderedProblems(rendered)).toEqual([]);
    expect(codec.render({ turns: [] })).toStrictEqual({
      messages: [],
      idMap: new Map(),
      warnings: [],
    });
  });

  it("reads system messages of the history as the system instructions", () => {
    const { transcript, warnings } = codec.read([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
      { role: "system", content: [{ type: "text", text: "Be kind." }] },
    ]);
    expect(transcript).toStrictEqual({
      system: "Be brief.\n\nBe kind.",
      turns: [{ role: "user", text: "hi" }],
    });
    expect(codes(warnings)).toEqual(["system-moved"]);
  });
});

describe("anthropicTranscript reads what a history holds, and says what it cannot", () => {
  it("answers calls the history left unanswered and drops results that answer nothing", () => {
    const { transcript, warnings } = codec.read([
      { role: "assistant", content: [toolUse("toolu_1", "one"), toolUse("toolu_2", "two")] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "1" },
          { type: "tool_result", tool_use_id: "toolu_9", content: "stray" },
          { type: "text", text: "next" },
        ],
      },
    ]);
    expect(codes(warnings)).toEqual(["result-orphaned", "result-missing"]);
    expect(assistantTurnsOf(transcript)[0]?.results).toStrictEqual([
      { callId: "toolu_1", name: "one", isError: false, output: "1" },
      {
        callId: "toolu_2",
        name: "two",
        isError: true,
        output: "No result was recorded for this call.",
      },
    ]);
    expect(transcript.turns[1]).toStrictEqual({ role: "user", text: "next" });
  });

  it("reads consecutive messages of one role as one turn, as the API merges them", () => {
    const { transcript, warnings } = codec.read([
      { role: "user", content: "go" },
      { role: "assistant", content: [toolUse("toolu_1", "one")] },
      { role: "assistant", content: [toolUse("toolu_2", "two")] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "2" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "then" },
          { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "1" }] },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
    expect(transcript.turns).toStrictEqual([
      { role: "user", text: "go" },
      {
        role: "assistant",
        text: "",
        calls: [
          { id: "toolu_1", name: "one", input: {} },
          { id: "toolu_2", name: "two", input: {} },
        ],
        results: [
          { callId: "toolu_1", name: "one", isError: false, output: "1" },
          { callId: "toolu_2", name: "two", isError: false, output: "2" },
        ],
      },
      { role: "user", text: "then" },
    ]);
  });

  it("keeps the text of results and drops their images, the user's files, and misplaced blocks", () => {
    const image = {
      type: "image",
      source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
    } as const;
    const { transcript, warnings } = codec.read([
      { role: "user", content: [image, { type: "text", text: "What is this?" }] },
      {
        role: "assistant",
        content: [toolUse("toolu_1", "zoom"), { type: "tool_result", tool_use_id: "x" }],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_1",
            content: [{ type: "text", text: "zoomed" }, image, { type: "text", text: "2x" }],
          },
        ],
      },
    ]);
    expect(transcript.turns[0]).toStrictEqual({ role: "user", text: "What is this?" });
    expect(assistantTurnsOf(transcript)[0]?.results?.[0]?.output).toBe("zoomed\n\n2x");
    expect(warnings).toStrictEqual([
      {
        code: "content-dropped",
        message: "messages[0]: the image block does not cross vendors; it is dropped.",
        turn: 0,
      },
      {
        code: "content-dropped",
        message:
          "messages[1]: the tool_result block has no place in an assistant turn of a transcript; it is dropped.",
        turn: 1,
      },
      {
        code: "content-dropped",
        message:
          "messages[2]: the result for call toolu_1 holds image block(s); only its text crosses, the rest is dropped.",
        turn: 1,
      },
    ]);
  });

  it("says once that cache breakpoints and citations are not carried", () => {
    const cache = { type: "ephemeral" } as const;
    const cited: TextBlockParam = {
      type: "text",
      text: "Paris.",
      citations: [
        {
          type: "web_search_result_location",
          url: "https://example.com",
          title: "Example",
          encrypted_index: "Eo8BCioI",
          cited_text: "Paris",
        },
      ],
    };
    const { transcript, warnings } = codec.read([
      { role: "user", content: [{ type: "text", text: "a", cache_control: cache }] },
      { role: "assistant", content: [cited, cited] },
      { role: "user", content: [{ type: "text", text: "b", cache_control: cache }] },
    ]);
    expect(transcript.turns[1]).toStrictEqual({
      role: "assistant",
      text: "Paris.\n\nParis.",
      calls: [],
      results: [],
    });
    expect(warnings.map((warning) => warning.message)).toEqual([
      "cache_control breakpoints are not part of a transcript; set them again on the rendered history.",
      "Citations on assistant text are not part of a transcript; the text is kept without them.",
    ]);
  });

  it("skips empty messages and blank text, which carry nothing", () => {
    const { transcript, warnings } = codec.read([
      { role: "user", content: "" },
      { role: "user", content: "hi" },
      { role: "assistant", content: [{ type: "text", text: "\n\n" }, text("Sure.")] },
      { role: "user", content: [{ type: "text", text: " " }] },
      { role: "assistant", content: [] },
    ]);
    expect(transcript).toStrictEqual({
      turns: [
        { role: "user", text: "hi" },
        { role: "assistant", text: "Sure.", calls: [], results: [] },
      ],
    });
    expect(warnings).toEqual([]);
  });
});

describe("anthropicTranscript is pure", () => {
  const history = deepFreeze<MessageParam[]>([
    { role: "user", content: [{ type: "text", text: "go" }] },
    {
      role: "assistant",
      content: [thinking("hmm", "sig"), text("on it"), toolUse("toolu_1", "one", { a: [1] })],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "1" }] },
      ],
    },
  ]);

  it("reads a frozen history and renders a frozen transcript, the same every time", () => {
    const reading = codec.read(history);
    expect(codec.read(history)).toStrictEqual(reading);
    const transcript = deepFreeze<Transcript>({
      system: "sys",
      turns: [
        ...reading.transcript.turns,
        answered(["bad id", "toolu_1"], {
          state: [{ vendor: "gemini", kind: "thought", value: { text: "x" } }],
        }),
      ],
    });
    const rendered = codec.render(transcript);
    expect(codec.render(transcript)).toStrictEqual(rendered);
    expect(renderedProblems(rendered)).toEqual([]);
  });

  it("returns copies: editing what it returns never reaches what it was given", () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { city: "Paris" });
    const transcript = deepFreeze<Transcript>({
      turns: [
        {
          ...answered(["toolu_1"]),
          calls: [{ id: "toolu_1", name: "weather", input }],
          state: [
            {
              vendor: "anthropic",
              kind: "thinking",
              value: { type: "thinking", thinking: "x", signature: "s" },
            },
          ],
        },
      ],
    });
    const rendered = codec.render(transcript);
    // A prototype-less input renders as a plain object, the same as a copy of the transcript.
    expect(rendered).toStrictEqual(codec.render(structuredClone(transcript)));
    // The transcript is frozen: writing through a shared object would throw.
    const [, use] = (rendered.messages[0]?.content ?? []) as [unknown, { input: { city: string } }];
    use.input.city = "Rome";
    expect(input.city).toBe("Paris");
    const readInput = () =>
      assistantTurnsOf(codec.read(history).transcript)[0]?.calls[0]?.input as { a: number[] };
    readInput().a.push(2);
    expect(readInput()).toStrictEqual({ a: [1] });
  });
});
