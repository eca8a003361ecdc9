import {
  deepFreeze,
  expectInvalidHistory,
  loadRecordings,
  openaiChatWire,
  openaiResponsesWire,
  withOriginalIds,
  withoutForeignState,
} from "@toolbatch/contract";
import {
  convertHistory,
  OPENAI_CALL_IDS,
  type Transcript,
  type TranscriptAssistantTurn,
} from "@toolbatch/core";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { ResponseCreateParams, ResponseInputItem } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { openaiChatTranscript, openaiResponsesTranscript } from "../src/index.js";
import {
  callIdsOf,
  copy,
  itReadsRecordedConversation,
  resultsMatchCalls,
} from "./transcript-support.js";

const codec = openaiResponsesTranscript();
const recordings = loadRecordings("openai-responses").filter(
  (recording) => recording.followUpRequest,
);
// A follow-up chained with previous_response_id holds only the new items: nothing to read.
const selfContained = recordings.filter(
  (recording) => !(recording.followUpRequest as ResponseCreateParams).previous_response_id,
);
const baseRequest = recordings[0]?.request as ResponseCreateParams;

const validate = (items: readonly ResponseInputItem[]) =>
  openaiResponsesWire.validateRequest(openaiResponsesWire.withHistory(baseRequest, items));

const assistantAt = (transcript: Transcript, index: number) =>
  transcript.turns[index] as TranscriptAssistantTurn;

const read = (history: unknown[]) => codec.read(deepFreeze(history) as ResponseInputItem[]);

const reasoning = {
  type: "reasoning",
  id: "rs_1",
  summary: [],
  encrypted_content: "gAAAAB-encrypted",
} as const;

describe("openaiResponsesTranscript reads every self-contained recorded conversation", () => {
  it("has recordings with a self-contained follow-up to read", () => {
    expect(selfContained.map((recording) => recording.key)).toEqual(["or1", "or2", "or3", "or5"]);
  });

  for (const recording of selfContained) {
    const history = openaiResponsesWire.history(recording.followUpRequest as ResponseCreateParams);

    describe(recording.key, () => {
      const { transcript } = codec.read(history);

      itReadsRecordedConversation(codec, openaiResponsesWire, recording);

      it("reads the developer or system message as the instructions", () => {
        const instructions = history.find(
          (item) => "role" in item && (item.role === "developer" || item.role === "system"),
        );
        expect(transcript.system).toBe(
          instructions && "content" in instructions ? instructions.content : undefined,
        );
      });

      it("renders the recorded calls and outputs back unchanged", () => {
        const rendered = codec.render(transcript).messages;
        expect(openaiResponsesWire.comparable(rendered)).toStrictEqual(
          openaiResponsesWire.comparable(history),
        );
      });
    });
  }

  it("renders messages in the neutral shape: system role, string contents, no empty assistant message", () => {
    // or5's follow-up sends `{ role: "assistant", content: "" }` before its calls, and or1's
    // instructions are a developer message with its user text in input_text parts.
    const or5 = selfContained.find((recording) => recording.key === "or5");
    const history = openaiResponsesWire.history(or5?.followUpRequest as ResponseCreateParams);
    const rendered = codec.render(codec.read(history).transcript).messages;
    expect(rendered).toStrictEqual(
      history.filter((item) => !("role" in item && item.role === "assistant")),
    );
    const or1 = selfContained.find((recording) => recording.key === "or1");
    const first = openaiResponsesWire.history(or1?.followUpRequest as ResponseCreateParams);
    expect(codec.render(codec.read(first).transcript).messages.slice(0, 2)).toStrictEqual([
      { role: "system", content: (first[0] as { content: string }).content },
      { role: "user", content: "Add and multiply the number 2 and 3" },
    ]);
  });
});

describe("openaiResponsesTranscript turns and vendor state", () => {
  const history = [
    { role: "user", content: "Weather in Paris and Tokyo?" },
    reasoning,
    {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: "Checking both.", annotations: [] }],
    },
    {
      type: "function_call",
      id: "fc_1",
      call_id: "call_1",
      name: "weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    },
    {
      type: "function_call",
      id: "fc_2",
      call_id: "call_2",
      name: "weather",
      arguments: '{"city":"Tokyo"}',
      status: "completed",
    },
    { type: "function_call_output", call_id: "call_1", output: '{"celsius":18}' },
    { type: "function_call_output", call_id: "call_2", output: "Error (timeout): no answer" },
    {
      type: "web_search_call",
      id: "ws_1",
      status: "completed",
      action: { type: "search", query: "Tokyo weather" },
    },
    {
      type: "message",
      id: "msg_2",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: "Paris: 18°C.", annotations: [] }],
    },
  ];

  it("makes consecutive assistant-side items one turn, ended by the call outputs", () => {
    const { transcript, warnings } = read(copy(history));
    expect(warnings).toEqual([]);
    expect(transcript).toStrictEqual({
      turns: [
        { role: "user", text: "Weather in Paris and Tokyo?" },
        {
          role: "assistant",
          text: "Checking both.",
          calls: [
            { id: "call_1", name: "weather", input: { city: "Paris" } },
            { id: "call_2", name: "weather", input: { city: "Tokyo" } },
          ],
          results: [
            { callId: "call_1", name: "weather", isError: false, output: { celsius: 18 } },
            {
              callId: "call_2",
              name: "weather",
              isError: true,
              output: "Error (timeout): no answer",
            },
          ],
          state: [{ vendor: "openai-responses", kind: "reasoning", value: reasoning }],
        },
        {
          role: "assistant",
          text: "Paris: 18°C.",
          calls: [],
          results: [],
          state: [{ vendor: "openai-responses", kind: "web_search_call", value: history[7] }],
        },
      ],
    });
  });

  it("renders the turn's own items first, so reasoning precedes its function_call", () => {
    const rendered = codec.render(read(copy(history)).transcript);
    expect(rendered.messages).toStrictEqual([
      { role: "user", content: "Weather in Paris and Tokyo?" },
      reasoning,
      { role: "assistant", content: "Checking both." },
      { type: "function_call", call_id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "call_2", name: "weather", arguments: '{"city":"Tokyo"}' },
      { type: "function_call_output", call_id: "call_1", output: '{"celsius":18}' },
      { type: "function_call_output", call_id: "call_2", output: "Error (timeout): no answer" },
      history[7],
      { role: "assistant", content: "Paris: 18°C." },
    ]);
    expect(validate(rendered.messages)).toEqual([]);
    expect(codec.render(read(copy(history)).transcript)).toStrictEqual(rendered);
  });

  it("keeps item references, and custom and namespaced calls, for Responses", () => {
    const items = [
      { id: "msg_stored" },
      { type: "custom_tool_call", id: "ctc_1", call_id: "call_c", name: "sql", input: "SELECT 1" },
      { type: "function_call", call_id: "call_n", name: "find", namespace: "crm", arguments: "{}" },
      { type: "custom_tool_call_output", call_id: "call_c", output: "1" },
      { type: "function_call_output", call_id: "call_n", output: "none" },
    ];
    const { transcript, warnings } = read(copy(items));
    expect(warnings).toEqual([]);
    const turn = assistantAt(transcript, 0);
    expect(turn.state).toStrictEqual([
      { vendor: "openai-responses", kind: "item_reference", value: items[0] },
    ]);
    expect(turn.calls).toStrictEqual([
      {
        id: "call_c",
        name: "sql",
        input: "SELECT 1",
        state: {
          vendor: "openai-responses",
          kind: "custom_tool_call",
          value: { type: "custom_tool_call" },
        },
      },
      {
        id: "call_n",
        name: "find",
        input: {},
        state: { vendor: "openai-responses", kind: "namespace", value: { namespace: "crm" } },
      },
    ]);
    const rendered = codec.render(transcript);
    expect(rendered.messages).toStrictEqual([
      items[0],
      { type: "custom_tool_call", call_id: "call_c", name: "sql", input: "SELECT 1" },
      { namespace: "crm", type: "function_call", call_id: "call_n", name: "find", arguments: "{}" },
      { type: "custom_tool_call_output", call_id: "call_c", output: "1" },
      { type: "function_call_output", call_id: "call_n", output: "none" },
    ]);
    expect(validate(rendered.messages)).toEqual([]);
    // Elsewhere the custom call is an ordinary call whose input is its text.
    const chat = openaiChatTranscript().render(transcript);
    expect(chat.messages[0]).toMatchObject({
      tool_calls: [
        { type: "function", function: { name: "sql", arguments: '"SELECT 1"' } },
        { type: "function", function: { name: "find", arguments: "{}" } },
      ],
    });
    expect(chat.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining("openai-responses custom_tool_call"),
      expect.stringContaining("openai-responses namespace"),
      expect.stringContaining("openai-responses item_reference"),
    ]);
  });

  it("drops items it cannot carry, and images, files and phases, with warnings", () => {
    const { transcript, warnings } = read([
      { type: "compaction_trigger" },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "Read this" },
          { type: "input_image", image_url: "https://example.com/a.png", detail: "auto" },
        ],
      },
      { role: "assistant", content: "On it.", phase: "commentary" },
      { type: "function_call", call_id: "call_f", name: "ocr", arguments: "{" },
      {
        type: "function_call_output",
        call_id: "call_f",
        output: [
          { type: "input_text", text: "text found" },
          { type: "input_file", file_id: "file_1" },
        ],
      },
    ]);
    expect(transcript.turns).toStrictEqual([
      { role: "user", text: "Read this" },
      {
        role: "assistant",
        text: "On it.",
        calls: [{ id: "call_f", name: "ocr", input: {} }],
        results: [{ callId: "call_f", name: "ocr", isError: false, output: "text found" }],
      },
    ]);
    expect(warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["content-dropped", undefined],
      ["content-dropped", 0],
      ["content-dropped", 1],
      ["arguments-unparseable", 1],
      ["content-dropped", 1],
    ]);
    expect(warnings[0]?.message).toContain("compaction_trigger");
    expect(warnings[2]?.message).toContain("commentary");
  });

  it("drops other vendors' state with a warning", () => {
    const foreign: Transcript = {
      turns: [
        { role: "user", text: "Hi" },
        {
          role: "assistant",
          text: "",
          calls: [{ id: "toolu_1", name: "look", input: {} }],
          results: [{ callId: "toolu_1", name: "look", isError: false, output: "ok" }],
          state: [{ vendor: "anthropic", kind: "thinking", value: { signature: "s" } }],
        },
      ],
    };
    const rendered = codec.render(deepFreeze(copy(foreign)));
    expect(rendered.warnings).toStrictEqual([
      { code: "state-dropped", message: expect.stringContaining("anthropic thinking"), turn: 1 },
    ]);
    expect(rendered.messages.some((item) => "type" in item && item.type === "reasoning")).toBe(
      false,
    );
    expect(codec.read(rendered.messages).transcript).toStrictEqual(
      withoutForeignState(foreign, "openai-responses"),
    );
  });

  // Found by the contract's hostile-transcript property (seed 120817487): state `{}` was rendered
  // as an item `{}`, which this codec's own reader refuses.
  it.each([
    ["an empty object", {}],
    ["a null-prototype object", Object.create(null)],
    ["an object without type or role", { summary: [] }],
  ])(
    "drops its own reasoning state that is %s, with a warning, and reads back what it rendered",
    (_name, value) => {
      const rendered = codec.render({
        turns: [
          {
            role: "assistant",
            text: "hi",
            calls: [],
            state: [{ vendor: "openai-responses", kind: "reasoning", value }],
          },
        ],
      });
      expect(rendered.messages).toStrictEqual([{ role: "assistant", content: "hi" }]);
      expect(rendered.warnings).toStrictEqual([
        { code: "state-dropped", message: expect.stringContaining("reasoning"), turn: 0 },
      ]);
      expect(() => codec.read(rendered.messages)).not.toThrow();
    },
  );

  it("warns about state of its own vendor that is not an item", () => {
    const rendered = codec.render({
      turns: [
        {
          role: "assistant",
          text: "x",
          calls: [
            {
              id: "c1",
              name: "a",
              input: {},
              state: { vendor: "openai-responses", kind: "riddle", value: 2 },
            },
          ],
          state: [{ vendor: "openai-responses", kind: "mystery", value: "?" }],
        },
      ],
    });
    expect(rendered.messages).toStrictEqual([
      { role: "assistant", content: "x" },
      { type: "function_call", call_id: "c1", name: "a", arguments: "{}" },
    ]);
    expect(rendered.warnings).toStrictEqual([
      { code: "state-dropped", message: expect.stringContaining("mystery"), turn: 0 },
      { code: "state-dropped", message: expect.stringContaining("riddle"), turn: 0 },
    ]);
  });
});

describe("openaiResponsesTranscript results and ids", () => {
  it("leaves a pending last turn unanswered", () => {
    const pending: Transcript = {
      turns: [
        { role: "user", text: "Go" },
        {
          role: "assistant",
          text: "",
          calls: [{ id: "call_9", name: "run", input: { fast: true } }],
          state: [{ vendor: "openai-responses", kind: "reasoning", value: reasoning }],
        },
      ],
    };
    const rendered = codec.render(deepFreeze(copy(pending)));
    expect(rendered.messages).toStrictEqual([
      { role: "user", content: "Go" },
      reasoning,
      { type: "function_call", call_id: "call_9", name: "run", arguments: '{"fast":true}' },
    ]);
    expect(validate(rendered.messages)).toEqual([]);
    expect(codec.read(rendered.messages).transcript).toStrictEqual(pending);
  });

  it("fills a missing output with an error, drops an orphan, both with warnings", () => {
    const { transcript, warnings } = read([
      { type: "function_call", call_id: "c1", name: "a", arguments: "{}" },
      { type: "function_call", call_id: "c2", name: "b", arguments: "{}" },
      { type: "function_call_output", call_id: "c2", output: "two" },
      { type: "function_call_output", call_id: "c9", output: "stray" },
      { role: "user", content: "next" },
    ]);
    expect(assistantAt(transcript, 0).results).toStrictEqual([
      { callId: "c1", name: "a", isError: true, output: "No result was recorded for this call." },
      { callId: "c2", name: "b", isError: false, output: "two" },
    ]);
    expect(warnings.map((warning) => [warning.code, warning.turn])).toEqual([
      ["result-orphaned", 0],
      ["result-missing", 0],
    ]);
    const rendered = codec.render(transcript);
    expect(
      rendered.messages.filter((item) => "type" in item && item.type === "function_call_output"),
    ).toHaveLength(2);
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("re-maps ids over 40 characters or repeated, the same in call and output, listed in idMap", () => {
    const long = `call_${"y".repeat(59)}`; // 64: the schema allows it, Chat would not
    const transcript: Transcript = {
      turns: [
        {
          role: "assistant",
          text: "",
          calls: [
            { id: long, name: "a", input: {} },
            { id: "dup", name: "b", input: {} },
            { id: "dup", name: "c", input: {} },
          ],
          results: [
            { callId: long, name: "a", isError: false, output: "1" },
            { callId: "dup", name: "b", isError: false, output: "2" },
            { callId: "dup", name: "c", isError: false, output: "3" },
          ],
        },
      ],
    };
    const rendered = codec.render(transcript);
    const back = codec.read(rendered.messages).transcript;
    const ids = callIdsOf(back);
    expect(ids.every(OPENAI_CALL_IDS.accepts)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(rendered.idMap.size).toBe(2);
    expect(resultsMatchCalls(back)).toBe(true);
    expect(withOriginalIds(back, rendered.idMap)).toStrictEqual(transcript);
    expect(rendered.warnings.map((warning) => warning.code)).toEqual(["id-remapped"]);
    expect(validate(rendered.messages)).toEqual([]);
  });

  it("renders a call-less assistant turn with empty text as an empty message, so it is kept", () => {
    const transcript: Transcript = {
      turns: [
        { role: "user", text: "a" },
        { role: "assistant", text: "", calls: [], results: [] },
        { role: "user", text: "b" },
      ],
    };
    const rendered = codec.render(transcript);
    expect(rendered.messages[1]).toStrictEqual({ role: "assistant", content: "" });
    expect(codec.read(rendered.messages).transcript).toStrictEqual(transcript);
  });

  it("is deterministic and never writes to its input", () => {
    const frozen = deepFreeze([
      { role: "user", content: "x" },
      reasoning,
      { type: "function_call", call_id: "c1", name: "a", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "y" },
    ] as ResponseInputItem[]);
    const first = codec.read(frozen);
    expect(codec.read(frozen)).toStrictEqual(first);
    const transcript = deepFreeze(copy(first.transcript));
    expect(codec.render(transcript)).toStrictEqual(codec.render(first.transcript));
  });
});

describe("between Chat Completions and Responses", () => {
  const chat = openaiChatTranscript();
  const chatRecordings = loadRecordings("openai-chat").filter(
    (recording) => recording.followUpRequest,
  );

  for (const recording of chatRecordings) {
    it(`moves ${recording.key} from Chat to Responses and back`, () => {
      const history = openaiChatWire.history(
        recording.followUpRequest as ChatCompletionCreateParams,
      );
      const moved = convertHistory(history, chat, codec);
      expect(moved.warnings).toEqual([]);
      expect(validate(moved.messages)).toEqual([]);
      expect(codec.read(moved.messages).transcript).toStrictEqual(chat.read(history).transcript);
      const back = convertHistory(moved.messages, codec, chat);
      expect(chat.read(back.messages).transcript).toStrictEqual(chat.read(history).transcript);
    });
  }

  it("drops Responses reasoning on the way to Chat, with a warning", () => {
    const moved = convertHistory(
      deepFreeze([
        { role: "user", content: "x" },
        reasoning,
        { type: "function_call", call_id: "c1", name: "a", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "y" },
      ] as ResponseInputItem[]),
      codec,
      chat,
    );
    expect(moved.warnings).toStrictEqual([
      {
        code: "state-dropped",
        message: expect.stringContaining("openai-responses reasoning"),
        turn: 1,
      },
    ]);
    expect(moved.messages).toStrictEqual([
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "a", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "y" },
    ]);
  });
});

describe("openaiResponsesTranscript refuses a malformed history", () => {
  const ok = { role: "user", content: "hi" };
  it.each([
    { entry: null, got: "got null" },
    { entry: "hi", got: 'got "hi"' },
    { entry: {}, got: "got an object" },
    { entry: { type: 3 }, got: "got an object" },
    { entry: { role: "user", content: 42 }, got: "got 42" },
    { entry: { type: "message", role: "user", content: [1] }, got: "content[0]" },
    { entry: { type: "function_call_output", call_id: "c", output: [null] }, got: "output[0]" },
    // A name or id that is not a string was rendered as a number, or threw a TypeError.
    {
      entry: { type: "function_call", call_id: "c", name: 42, arguments: "{}" },
      got: ".name is not a string: got 42.",
    },
    {
      entry: { type: "function_call", call_id: Object.create(null), name: "a", arguments: "{}" },
      got: ".call_id is not a string: got an object.",
    },
    {
      entry: { type: "custom_tool_call", call_id: "c", name: "sql", input: { q: 1 } },
      got: ".input is not a string: got an object.",
    },
    { entry: { type: "message", role: 5, content: "hi" }, got: ".role is not a string: got 5." },
  ])("$entry", ({ entry, got }) => {
    expectInvalidHistory(codec, [ok, ok, entry], {
      index: 2,
      source: "toolbatch/openai",
      says: got,
    });
  });

  it("still reads an untyped item reference and an unknown item type", () => {
    const { warnings } = codec.read([{ id: "rs_1" }, { type: "weird" }] as never);
    expect(warnings).toHaveLength(1);
  });
});
