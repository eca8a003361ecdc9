import {
  deepFreeze,
  expectInvalidHistory,
  loadRecordings,
  openaiChatWire,
  withOriginalIds,
  withoutForeignState,
} from "@toolbatch/contract";
import {
  MISTRAL_CALL_IDS,
  OPENAI_CALL_IDS,
  type Transcript,
  type TranscriptAssistantTurn,
} from "@toolbatch/core";
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { openaiChatTranscript } from "../src/index.js";
import {
  callIdsOf,
  copy,
  itReadsRecordedConversation,
  resultsMatchCalls,
} from "./transcript-support.js";

const codec = openaiChatTranscript();
const recordings = loadRecordings("openai-chat").filter((recording) => recording.followUpRequest);
const baseRequest = recordings[0]?.request as ChatCompletionCreateParams;

/** The spec's complaints about a request carrying this history. */
const validate = (messages: readonly ChatCompletionMessageParam[]) =>
  openaiChatWire.validateRequest(openaiChatWire.withHistory(baseRequest, messages));

const assistantAt = (transcript: Transcript, index: number) =>
  transcript.turns[index] as TranscriptAssistantTurn;

describe("openaiChatTranscript reads every recorded conversation", () => {
  it("has recordings with a follow-up to read", () => {
    expect(recordings.map((recording) => recording.key)).toEqual(["oc1", "oc2", "oc3", "oc5"]);
  });

  for (const recording of recordings) {
    const history = openaiChatWire.history(recording.followUpRequest as ChatCompletionCreateParams);

    describe(recording.key, () => {
      const { transcript } = codec.read(history);

      itReadsRecordedConversation(codec, openaiChatWire, recording);

      it("reads the system message", () => {
        const system = history.find((message) => message.role === "system");
        expect(transcript.system).toBe(system?.content);
      });

      it("renders the recorded history back, up to content: null and re-serialized arguments", () => {
        // The recorded assistant message has no `content` (the API returns null); arguments are
        // JSON.stringify'd from the parsed input, so `{"a": 2}` comes back as `{"a":2}`.
        const expected = history.map((message) =>
          message.role === "assistant"
            ? {
                role: "assistant",
                content: null,
                tool_calls: message.tool_calls?.map((call) =>
                  call.type === "function"
                    ? {
                        ...call,
                        function: {
                          ...call.function,
                          arguments: JSON.stringify(JSON.parse(call.function.arguments)),
                        },
                      }
                    : call,
                ),
              }
            : message,
        );
        expect(codec.render(transcript).messages).toStrictEqual(expected);
      });
    });
  }
});

describe("openaiChatTranscript renders transcripts", () => {
  const transcript: Transcript = {
    system: "Be brief.",
    turns: [
      { role: "user", text: "Weather in Paris and Tokyo?" },
      {
        role: "assistant",
        text: "Checking both.",
        calls: [
          { id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { id: "call_2", name: "get_weather", input: { city: "Tokyo" } },
        ],
        results: [
          { callId: "call_1", name: "get_weather", isError: false, output: { celsius: 18 } },
          { callId: "call_2", name: "get_weather", isError: true, output: "city not found" },
        ],
      },
      { role: "assistant", text: "Paris is 18°C; Tokyo failed.", calls: [], results: [] },
      { role: "user", text: "Thanks" },
    ],
  };

  it("writes the system first, one assistant message per turn, then one tool message per call", () => {
    const rendered = codec.render(deepFreeze(copy(transcript)));
    expect(rendered.messages).toStrictEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris and Tokyo?" },
      {
        role: "assistant",
        content: "Checking both.",
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          {
            id: "call_2",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Tokyo"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"celsius":18}' },
      // Chat has no error flag: the error says so in its text, and reads back as an error.
      { role: "tool", tool_call_id: "call_2", content: "Error: city not found" },
      { role: "assistant", content: "Paris is 18°C; Tokyo failed." },
      { role: "user", content: "Thanks" },
    ]);
    expect(rendered.system).toBeUndefined();
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("reads back what it renders: outputs as the text the model read, exact JSON as its value", () => {
    const back = codec.read(codec.render(transcript).messages);
    expect(back.warnings).toEqual([]);
    const turn = assistantAt(back.transcript, 1);
    expect(turn.results).toStrictEqual([
      { callId: "call_1", name: "get_weather", isError: false, output: { celsius: 18 } },
      { callId: "call_2", name: "get_weather", isError: true, output: "Error: city not found" },
    ]);
    expect({ ...back.transcript, turns: back.transcript.turns.filter((t) => t !== turn) }).toEqual({
      ...transcript,
      turns: transcript.turns.filter((t) => t !== transcript.turns[1]),
    });
  });

  it("leaves a pending last turn unanswered", () => {
    const pending: Transcript = {
      turns: [
        { role: "user", text: "Go" },
        { role: "assistant", text: "", calls: [{ id: "call_9", name: "run", input: {} }] },
      ],
    };
    const rendered = codec.render(pending);
    expect(rendered.messages).toStrictEqual([
      { role: "user", content: "Go" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_9", type: "function", function: { name: "run", arguments: "{}" } },
        ],
      },
    ]);
    expect(validate(rendered.messages)).toEqual([]);
    expect(codec.read(rendered.messages).transcript).toStrictEqual(pending);
  });
});

describe("openaiChatTranscript ids", () => {
  const longId = `call_${"x".repeat(36)}`; // 41 characters, like the SDK stream helper's ids
  const transcript: Transcript = {
    turns: [
      {
        role: "assistant",
        text: "",
        calls: [
          { id: longId, name: "a", input: {} },
          { id: "call_same", name: "b", input: {} },
        ],
        results: [
          { callId: longId, name: "a", isError: false, output: "1" },
          { callId: "call_same", name: "b", isError: false, output: "2" },
        ],
      },
      {
        role: "assistant",
        text: "",
        // sglang-style ids repeat across turns.
        calls: [{ id: "call_same", name: "c", input: {} }],
        results: [{ callId: "call_same", name: "c", isError: false, output: "3" }],
      },
    ],
  };

  it("re-maps ids OpenAI rejects or that repeat, the same in call and result, listed in idMap", () => {
    const rendered = codec.render(transcript);
    const back = codec.read(rendered.messages);
    const ids = callIdsOf(back.transcript);
    expect(ids.every(OPENAI_CALL_IDS.accepts)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe("call_same");
    expect([...rendered.idMap.values()].sort()).toEqual([longId, "call_same"].sort());
    expect(rendered.warnings.map((warning) => warning.code)).toEqual(["id-remapped"]);
    expect(resultsMatchCalls(back.transcript)).toBe(true);
    expect(withOriginalIds(back.transcript, rendered.idMap)).toStrictEqual(transcript);
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("gives Mistral exactly 9 letters or digits with MISTRAL_CALL_IDS", () => {
    const mistral = openaiChatTranscript({ callIds: MISTRAL_CALL_IDS });
    const history = openaiChatWire.history(
      recordings[0]?.followUpRequest as ChatCompletionCreateParams,
    );
    const rendered = mistral.render(mistral.read(history).transcript);
    const back = mistral.read(rendered.messages).transcript;
    const ids = callIdsOf(back);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    const turn = assistantAt(back, 1);
    expect(turn.results?.map((result) => result.callId)).toEqual(ids);
    expect(ids.map((id) => rendered.idMap.get(id))).toEqual(
      recordings[0]?.expected.calls.map((call) => call.id),
    );
    // Deterministic: the same history gets the same ids every time.
    expect(mistral.render(mistral.read(history).transcript)).toStrictEqual(rendered);
    expect(validate(rendered.messages)).toEqual([]);
  });
});

describe("openaiChatTranscript vendor state", () => {
  it("keeps DeepSeek's reasoning_content for Chat", () => {
    const history = deepFreeze([
      { role: "user", content: "2+3?" },
      {
        role: "assistant",
        content: null,
        reasoning_content: "The user wants a sum.",
        tool_calls: [
          { id: "call_0", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_0", content: "5" },
    ] as ChatCompletionMessageParam[]);
    const { transcript } = codec.read(history);
    expect(assistantAt(transcript, 1).state).toStrictEqual([
      { vendor: "openai-chat", kind: "reasoning_content", value: "The user wants a sum." },
    ]);
    expect(codec.render(transcript).messages).toStrictEqual(history);
  });

  it("keeps a custom tool call custom for Chat, its text as the input", () => {
    const history = deepFreeze([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_c", type: "custom", custom: { name: "sql", input: "SELECT 1" } }],
      },
      { role: "tool", tool_call_id: "call_c", content: "1" },
    ] as ChatCompletionMessageParam[]);
    const { transcript } = codec.read(history);
    expect(assistantAt(transcript, 0).calls).toStrictEqual([
      {
        id: "call_c",
        name: "sql",
        input: "SELECT 1",
        state: { vendor: "openai-chat", kind: "custom", value: null },
      },
    ]);
    const rendered = codec.render(transcript);
    expect(rendered.messages).toStrictEqual(history);
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("drops other vendors' state, with one warning per vendor and kind", () => {
    const foreign: Transcript = {
      turns: [
        { role: "user", text: "Hi" },
        {
          role: "assistant",
          text: "",
          calls: [
            {
              id: "toolu_1",
              name: "look",
              input: { q: 1 },
              state: { vendor: "gemini", kind: "thought-signature", value: "c2ln" },
            },
          ],
          results: [{ callId: "toolu_1", name: "look", isError: false, output: "ok" }],
          state: [
            { vendor: "anthropic", kind: "thinking", value: { signature: "s" } },
            { vendor: "anthropic", kind: "thinking", value: { signature: "t" } },
          ],
        },
      ],
    };
    const rendered = codec.render(deepFreeze(copy(foreign)));
    expect(rendered.warnings).toStrictEqual([
      {
        code: "state-dropped",
        message: expect.stringContaining("gemini thought-signature"),
        turn: 1,
      },
      { code: "state-dropped", message: expect.stringContaining("anthropic thinking"), turn: 1 },
    ]);
    expect(rendered.messages[1]).toStrictEqual({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "toolu_1", type: "function", function: { name: "look", arguments: '{"q":1}' } },
      ],
    });
    expect(codec.read(rendered.messages).transcript).toStrictEqual(
      withoutForeignState(foreign, "openai-chat"),
    );
  });

  it("warns about state of its own vendor that a message cannot carry", () => {
    const odd: Transcript = {
      turns: [
        {
          role: "assistant",
          text: "x",
          calls: [
            {
              id: "c1",
              name: "a",
              input: {},
              state: { vendor: "openai-chat", kind: "riddle", value: 2 },
            },
          ],
          state: [{ vendor: "openai-chat", kind: "mystery", value: 1 }],
        },
      ],
    };
    const rendered = codec.render(odd);
    expect(rendered.messages).toStrictEqual([
      {
        role: "assistant",
        content: "x",
        tool_calls: [{ id: "c1", type: "function", function: { name: "a", arguments: "{}" } }],
      },
    ]);
    expect(rendered.warnings).toStrictEqual([
      { code: "state-dropped", message: expect.stringContaining("mystery"), turn: 0 },
      { code: "state-dropped", message: expect.stringContaining("riddle"), turn: 0 },
    ]);
  });
});

describe("openaiChatTranscript reading edge cases", () => {
  const read = (history: unknown[]) =>
    codec.read(deepFreeze(history) as ChatCompletionMessageParam[]);

  it("joins system and developer messages; one in the middle moves, with a warning", () => {
    const { transcript, warnings } = read([
      { role: "developer", content: "Rule 1." },
      { role: "system", content: [{ type: "text", text: "Rule 2." }] },
      { role: "user", content: "Hi" },
      { role: "system", content: "Rule 3." },
    ]);
    expect(transcript).toStrictEqual({
      system: "Rule 1.\n\nRule 2.\n\nRule 3.",
      turns: [{ role: "user", text: "Hi" }],
    });
    expect(warnings).toStrictEqual([
      { code: "system-moved", message: expect.any(String), turn: 0 },
    ]);
    expect(codec.render(transcript).messages[0]).toStrictEqual({
      role: "system",
      content: "Rule 1.\n\nRule 2.\n\nRule 3.",
    });
  });

  it("keeps the text of user parts and drops images, audio and files with a warning", () => {
    const { transcript, warnings } = read([
      { role: "user", content: "First." },
      { role: "assistant", content: "Ok." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in" },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "text", text: "this picture?" },
          { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } },
          { type: "file", file: { file_id: "file_1" } },
        ],
      },
    ]);
    expect(transcript.turns[2]).toStrictEqual({
      role: "user",
      text: "What is in\n\nthis picture?",
    });
    expect(warnings).toStrictEqual([
      {
        code: "content-dropped",
        message: expect.stringMatching(/3 part\(s\).*image_url, input_audio, file/),
        turn: 2,
      },
    ]);
  });

  it("reads a refusal as the assistant's text and warns about an audio reference", () => {
    const { transcript, warnings } = read([
      { role: "user", content: "Do it" },
      {
        role: "assistant",
        content: [{ type: "refusal", refusal: "I can't." }],
        refusal: "Not allowed.",
        audio: { id: "audio_1" },
      },
    ]);
    expect(assistantAt(transcript, 1).text).toBe("I can't.\n\nNot allowed.");
    expect(warnings).toStrictEqual([
      { code: "content-dropped", message: expect.stringContaining("audio_1"), turn: 1 },
    ]);
  });

  it("reads unparseable arguments as {} with a warning, double-encoded ones unwrapped", () => {
    const { transcript, warnings } = read([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "a", arguments: '{"x": 1' } },
          { id: "c2", type: "function", function: { name: "b", arguments: '"{\\"y\\":2}"' } },
          { id: "c3", type: "function", function: { name: "c", arguments: "" } },
          // Ollama sends objects.
          { id: "c4", type: "function", function: { name: "d", arguments: { z: 3 } } },
        ],
      },
    ]);
    expect(assistantAt(transcript, 0).calls.map((call) => call.input)).toStrictEqual([
      {},
      { y: 2 },
      {},
      { z: 3 },
    ]);
    expect(warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["arguments-unparseable", 0],
      ["arguments-double-encoded", 0],
    ]);
  });

  it("fills a missing result with an error, drops an orphan, both with warnings", () => {
    const { transcript, warnings } = read([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "a", arguments: "{}" } },
          { id: "c2", type: "function", function: { name: "b", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "done" },
      { role: "tool", tool_call_id: "c7", content: "stray" },
      { role: "user", content: "and?" },
    ]);
    expect(assistantAt(transcript, 0).results).toStrictEqual([
      { callId: "c1", name: "a", isError: false, output: "done" },
      { callId: "c2", name: "b", isError: true, output: "No result was recorded for this call." },
    ]);
    expect(warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["result-orphaned", 0],
      ["result-missing", 0],
    ]);
    const rendered = codec.render(transcript);
    expect(rendered.messages.filter((message) => message.role === "tool")).toHaveLength(2);
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("reads toolbatch's error text as an error, and text parts of tool messages", () => {
    const { transcript } = read([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "a", arguments: "{}" } },
          { id: "c2", type: "function", function: { name: "b", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "Error (timeout): took too long" },
      {
        role: "tool",
        tool_call_id: "c2",
        content: [
          { type: "text", text: "part 1" },
          { type: "text", text: "part 2" },
        ],
      },
    ]);
    expect(assistantAt(transcript, 0).results).toStrictEqual([
      { callId: "c1", name: "a", isError: true, output: "Error (timeout): took too long" },
      { callId: "c2", name: "b", isError: false, output: "part 1\n\npart 2" },
    ]);
  });

  it("reads the deprecated function_call and function role, paired by name", () => {
    const { transcript, warnings } = read([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        function_call: { name: "get_weather", arguments: '{"city":"Oslo"}' },
      },
      { role: "function", name: "get_weather", content: "-3°C" },
    ]);
    expect(warnings).toEqual([]);
    const turn = assistantAt(transcript, 1);
    expect(turn.calls).toStrictEqual([
      {
        id: expect.stringMatching(/^[a-zA-Z0-9]{9}$/),
        idSynthesized: true,
        name: "get_weather",
        input: { city: "Oslo" },
      },
    ]);
    expect(turn.results).toStrictEqual([
      { callId: turn.calls[0]?.id, name: "get_weather", isError: false, output: "-3°C" },
    ]);
    // Rendered as today's tool calls, with the made-up id on both sides.
    const rendered = codec.render(transcript);
    expect(rendered.messages[2]).toStrictEqual({
      role: "tool",
      tool_call_id: turn.calls[0]?.id,
      content: "-3°C",
    });
    expect(validate(rendered.messages)).toEqual([]);
  });

  it('gives id-less tool calls (some servers send id: "") deterministic ids', () => {
    const history = [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "", type: "function", function: { name: "a", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "", content: "x" },
    ];
    const first = read(history);
    expect(read(copy(history))).toStrictEqual(first);
    const turn = assistantAt(first.transcript, 0);
    expect(turn.calls[0]?.idSynthesized).toBe(true);
    expect(turn.results?.[0]?.output).toBe("x");
  });

  it("drops a message of a role Chat does not define, with a warning", () => {
    const { transcript, warnings } = read([{ role: "critic", content: "meh" }]);
    expect(transcript).toStrictEqual({ turns: [] });
    expect(warnings).toStrictEqual([
      { code: "content-dropped", message: expect.stringContaining("critic") },
    ]);
  });
});

describe("openaiChatTranscript refuses a malformed history", () => {
  const ok = { role: "user", content: "hi" };
  it.each([
    { entry: null, got: "got null" },
    { entry: 42, got: "got 42" },
    { entry: {}, got: "got role undefined" },
    { entry: { role: 7, content: "hi" }, got: "got role 7" },
    { entry: { role: "user", content: 42 }, got: "got 42" },
    { entry: { role: "user", content: [null] }, got: "content[0] is not a content part" },
    { entry: { role: "assistant", content: ["hi"] }, got: 'got "hi"' },
    {
      entry: { role: "assistant", tool_calls: {} },
      got: "tool_calls is not an array of objects, got an object",
    },
    {
      entry: { role: "assistant", tool_calls: [null] },
      got: "tool_calls is not an array of objects",
    },
    // A name or id that is not a string was rendered as a number, or threw a TypeError.
    {
      entry: { role: "assistant", tool_calls: [{ id: "c", function: { name: 42 } }] },
      got: ".tool_calls[0].function.name is not a string: got 42.",
    },
    {
      entry: {
        role: "assistant",
        tool_calls: [{ id: Object.create(null), function: { name: "a" } }],
      },
      got: ".tool_calls[0].id is not a string: got an object.",
    },
    {
      entry: {
        role: "assistant",
        tool_calls: [{ id: "c", function: { name: Object.create(null) } }],
      },
      got: ".tool_calls[0].function.name is not a string: got an object.",
    },
    {
      entry: { role: "assistant", tool_calls: [{ id: "c", type: "custom", custom: { name: 1 } }] },
      got: ".tool_calls[0].custom.name is not a string: got 1.",
    },
    {
      entry: { role: "tool", tool_call_id: 7, content: "x" },
      got: ".tool_call_id is not a string",
    },
    { entry: { role: "function", name: ["a"], content: "x" }, got: ".name is not a string" },
    { entry: { role: "assistant", function_call: "add" }, got: ".function_call is not an object" },
    { entry: { role: "assistant", refusal: 3 }, got: ".refusal is not a string: got 3." },
  ])("$entry", ({ entry, got }) => {
    expectInvalidHistory(codec, [ok, ok, entry], {
      index: 2,
      source: "toolbatch/openai",
      says: got,
    });
  });

  it("still reads an unknown role with a warning", () => {
    expect(codec.read([{ role: "critic", content: "x" } as never]).warnings).toHaveLength(1);
  });

  it("reads a function message's parts as a tool message's", () => {
    const { transcript } = codec.read([
      { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } },
      { role: "function", name: "f", content: [{ type: "text", text: "done" }] } as never,
    ]);
    expect(assistantAt(transcript, 0).results?.[0]?.output).toBe("done");
  });
});
