import type {
  ContentBlock,
  MessageParam,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { loadSpecValidator } from "@toolbatch/contract";
import {
  type BatchWarning,
  DuplicateToolError,
  defineTool,
  executeBatch,
  jsonSchema,
  PORTABLE_CALL_ID,
  ResultMismatchError,
  type ToolResult,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { anthropic, InvalidCallIdError } from "../src/index.js";
import {
  message,
  specProblems,
  text,
  thinking,
  toolUse,
  webSearch,
  webSearchResult,
} from "./support.js";

const results = (messages: MessageParam[]) =>
  (messages[1]?.content ?? []) as ToolResultBlockParam[];

const echo = (calls: readonly { id: string; name: string }[]) =>
  calls.map((call) => toolSuccess(call, "ok"));

describe("anthropic toBatch", () => {
  it("takes the tool_use blocks as the batch and keeps the message as the turn", () => {
    const response = message([
      thinking("Two cities.", "sig-1"),
      text("Checking both."),
      toolUse("toolu_A", "get_weather", { city: "Paris" }),
      toolUse("toolu_B", "get_time"),
    ]);
    const batch = anthropic().toBatch(response);
    expect(batch).toStrictEqual({
      provider: "anthropic",
      calls: [
        { id: "toolu_A", name: "get_weather", input: { city: "Paris" }, index: 0 },
        { id: "toolu_B", name: "get_time", input: {}, index: 1 },
      ],
      complete: true,
      stopReason: "tool_use",
      text: "Checking both.",
      usage: { inputTokens: 10, outputTokens: 20 },
      responseId: "msg_test",
      turn: response,
    });
    expect(batch.turn).toBe(response);
  });

  it("never runs server tools: server_tool_use and its result are echoed, not answered", async () => {
    const searched = vi.fn(() => "client-side search");
    const weather = vi.fn(() => ({ c: 18 }));
    const tools = [
      defineTool({ name: "web_search", description: "", input: z.object({}), execute: searched }),
      defineTool({ name: "get_weather", description: "", input: z.object({}), execute: weather }),
    ];
    const adapter = anthropic();
    const content: ContentBlock[] = [
      webSearch("srvtoolu_01", "weather Paris"),
      webSearchResult("srvtoolu_01"),
      toolUse("toolu_A", "get_weather"),
    ];
    const batch = adapter.toBatch(message(content));
    expect(batch.calls.map((call) => call.id)).toStrictEqual(["toolu_A"]);
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, tools));
    expect(searched).not.toHaveBeenCalled();
    expect(weather).toHaveBeenCalledOnce();
    // vercel/ai#17366: a server-tool result dropped from the echo leaves srvtoolu_ orphaned.
    expect(followUp[0]).toStrictEqual({ role: "assistant", content });
    expect(results(followUp).map((block) => block.tool_use_id)).toStrictEqual(["toolu_A"]);
    expect(specProblems(followUp)).toStrictEqual([]);
    expect(batch.warnings).toBeUndefined();
  });

  it("warns when a server tool waits on the client's results (a mixed turn)", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(
      message([webSearch("srvtoolu_01", "news"), toolUse("toolu_A", "get_time")]),
    );
    expect(batch.complete).toBe(true);
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["server-tool-pending"]);
    const followUp = adapter.toFollowUp(batch, echo(batch.calls));
    // Only the tool_result blocks: text after them is rejected in a mixed turn.
    expect(followUp[1]).toStrictEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_A", content: "ok" }],
    });
    expect(specProblems(followUp)).toStrictEqual([]);
  });

  it("makes a max_tokens turn with a trailing tool_use incomplete: nothing runs", async () => {
    const remove = vi.fn();
    const tool = defineTool({
      name: "delete_file",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: remove,
    });
    const adapter = anthropic();
    const batch = adapter.toBatch(
      message(
        [toolUse("toolu_A", "delete_file", { path: "/tmp/a" }), toolUse("toolu_B", "delete_file")],
        "max_tokens",
      ),
    );
    expect(batch.complete).toBe(false);
    const ran = await executeBatch(batch, [tool]);
    expect(ran.map((r) => (r.ok ? "ok" : r.error.code))).toStrictEqual([
      "not_executed",
      "not_executed",
    ]);
    expect(remove).not.toHaveBeenCalled();
    const followUp = adapter.toFollowUp(batch, ran);
    expect(results(followUp).map((block) => block.is_error)).toStrictEqual([true, true]);
    expect(specProblems(followUp)).toStrictEqual([]);
  });

  it("keeps a max_tokens turn complete when its calls were followed by more output", () => {
    const batch = anthropic().toBatch(
      message([toolUse("toolu_A", "get_time"), text("And then I")], "max_tokens"),
    );
    expect(batch.complete).toBe(true);
  });

  it.each([
    ["pause_turn", false],
    ["refusal", false],
    [null, false],
    ["end_turn", true],
    ["stop_sequence", true],
  ] as const)("reads stop_reason %j as complete: %s", (reason, complete) => {
    const batch = anthropic().toBatch(message([toolUse("toolu_A", "get_time")], reason));
    expect(batch.complete).toBe(complete);
  });

  it("answers a paused turn with the turn alone, to be re-sent as is", () => {
    const adapter = anthropic();
    const content = [webSearch("srvtoolu_01", "news"), text("Searching.")];
    const batch = adapter.toBatch(message(content, "pause_turn"));
    expect(batch).toMatchObject({ complete: false, calls: [], stopReason: "pause_turn" });
    expect(adapter.toFollowUp(batch, [])).toStrictEqual([{ role: "assistant", content }]);
  });

  it("treats an undocumented stop_reason as complete, with a warning", () => {
    const response = message([toolUse("toolu_A", "get_time")]);
    const batch = anthropic().toBatch({ ...response, stop_reason: "new_reason" as never });
    expect(batch.complete).toBe(true);
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["unknown-stop-reason"]);
  });

  it("synthesizes a portable id for a tool_use without one and echoes it", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(message([toolUse("", "get_time")]));
    const [call] = batch.calls;
    expect(call?.id).toMatch(PORTABLE_CALL_ID);
    expect(call?.idSynthesized).toBe(true);
    const followUp = adapter.toFollowUp(batch, echo(batch.calls));
    expect(followUp[0]?.content).toMatchObject([{ type: "tool_use", id: call?.id }]);
    expect(results(followUp)[0]?.tool_use_id).toBe(call?.id);
  });
});

describe("anthropic toFollowUp", () => {
  it("answers every call, first and alone in one user message, in call order, whatever the mix (property)", () => {
    // "tool_use ids were found without tool_result blocks immediately after" (Portkey#980) and
    // "Did not find 1 tool_result block(s) at the beginning of this message" (langchainjs#7573).
    const block = fc.oneof(
      fc.constant<"call">("call"),
      fc.constantFrom(text("Let me see."), thinking("Hmm.", "sig"), {
        type: "redacted_thinking",
        data: "EmwKAhgB",
      } as ContentBlock),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), fc.array(fc.boolean()), (shape, fails) => {
        const content = shape.map((entry, i) =>
          entry === "call" ? toolUse(`toolu_${i}`, "lookup", { i }) : entry,
        );
        const adapter = anthropic();
        const batch = adapter.toBatch(message(content));
        const answers: ToolResult[] = batch.calls.map((call, i) =>
          fails[i]
            ? toolFailure(call, "execution_failed", `call ${i} broke`)
            : toolSuccess(call, i),
        );
        const followUp = adapter.toFollowUp(batch, answers);
        expect(followUp[0]).toStrictEqual({ role: "assistant", content });
        if (batch.calls.length === 0) {
          expect(followUp).toHaveLength(1);
          return;
        }
        expect(followUp).toHaveLength(2);
        expect(followUp[1]?.role).toBe("user");
        expect(results(followUp)).toStrictEqual(
          batch.calls.map((call, i) => ({
            type: "tool_result",
            tool_use_id: call.id,
            ...(fails[i]
              ? { content: `Error (execution_failed): call ${i} broke`, is_error: true }
              : { content: String(i) }),
          })),
        );
        expect(specProblems(followUp)).toStrictEqual([]);
      }),
    );
  });

  it("echoes thinking and redacted_thinking blocks with their signatures, unchanged and first", () => {
    const content: ContentBlock[] = [
      thinking("The user wants two cities.", "EqQBCkYIBxgCKkDl7v"),
      { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT" },
      toolUse("toolu_A", "get_weather", { city: "Paris" }),
      thinking("Interleaved.", "sig-2"),
      toolUse("toolu_B", "get_weather", { city: "Tokyo" }),
    ];
    const adapter = anthropic();
    const batch = adapter.toBatch(message(content));
    const [assistant] = adapter.toFollowUp(batch, echo(batch.calls));
    expect(assistant?.content).toStrictEqual(content);
    expect(JSON.stringify(assistant)).toBe(JSON.stringify({ role: "assistant", content }));
  });

  it("leaves out only what a request may not carry: empty text, citation file_id, null toolset_name", () => {
    const citation = {
      type: "char_location",
      cited_text: "Paris",
      document_index: 0,
      document_title: null,
      start_char_index: 0,
      end_char_index: 5,
    } as const;
    const cited = {
      type: "text",
      text: "Paris is in France.",
      citations: [{ ...citation, file_id: "file_011" }],
    } as ContentBlock;
    const adapter = anthropic();
    const batch = adapter.toBatch(
      message([text(""), cited, { ...toolUse("toolu_A", "get_time"), toolset_name: null }]),
    );
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["empty-text-dropped"]);
    const followUp = adapter.toFollowUp(batch, echo(batch.calls));
    expect(followUp[0]?.content).toStrictEqual([
      { type: "text", text: "Paris is in France.", citations: [citation] },
      { type: "tool_use", id: "toolu_A", name: "get_time", input: {}, caller: { type: "direct" } },
    ]);
    expect(specProblems(followUp)).toStrictEqual([]);
  });

  it("names the toolset on a toolset member's result, as its tool_use did", () => {
    const adapter = anthropic();
    const browse = {
      ...toolUse("toolu_A", "navigate", { url: "https://a.b" }),
      toolset_name: "browser",
    };
    const batch = adapter.toBatch(message([browse]));
    const followUp = adapter.toFollowUp(batch, echo(batch.calls));
    expect(followUp[0]?.content).toStrictEqual([browse]);
    expect(results(followUp)).toStrictEqual([
      { type: "tool_result", tool_use_id: "toolu_A", content: "ok", toolset_name: "browser" },
    ]);
  });

  it("sends text as a string, leaves out empty content, and passes Anthropic result blocks through", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(
      message([toolUse("toolu_A", "a"), toolUse("toolu_B", "b"), toolUse("toolu_C", "c")]),
    );
    const image = [
      { type: "text", text: "Screenshot:" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
    ];
    const [a, b, c] = batch.calls as [never, never, never];
    const followUp = adapter.toFollowUp(batch, [
      toolSuccess(a, { temp: 18 }),
      toolSuccess(b, ""),
      toolSuccess(c, image),
    ]);
    expect(results(followUp)).toStrictEqual([
      { type: "tool_result", tool_use_id: "toolu_A", content: '{"temp":18}' },
      { type: "tool_result", tool_use_id: "toolu_B" },
      { type: "tool_result", tool_use_id: "toolu_C", content: image },
    ]);
    expect(specProblems(followUp)).toStrictEqual([]);
    // Something that only looks like blocks is data: sent as JSON text.
    const loose = adapter.toFollowUp(batch, [
      toolSuccess(a, [{ type: "text", text: "" }]),
      toolSuccess(b, [{ type: "image" }]),
      toolSuccess(c, [{ type: "__proto__" }]),
    ]);
    expect(results(loose).map((block) => typeof block.content)).toStrictEqual([
      "string",
      "string",
      "string",
    ]);
  });

  it("refuses ids Anthropic rejects, naming the call, instead of sending them", () => {
    const adapter = anthropic();
    const foreign = adapter.toBatch(
      message([toolUse("toolu_A", "a"), toolUse("functions.get_weather:0", "get_weather")]),
    );
    expect(foreign.warnings).toStrictEqual<BatchWarning[]>([
      expect.objectContaining({ code: "id-invalid", callIndex: 1 }),
    ]);
    let caught: unknown;
    try {
      adapter.toFollowUp(foreign, echo(foreign.calls));
    } catch (error) {
      caught = error;
    }
    expect(InvalidCallIdError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({
      callId: "functions.get_weather:0",
      callIndex: 1,
      reason: "pattern",
      message: expect.stringMatching(/^\[toolbatch\/anthropic\] Call 1 has the id/),
    });
    const twice = adapter.toBatch(message([toolUse("toolu_A", "a"), toolUse("toolu_A", "b")]));
    expect(() => adapter.toFollowUp(twice, echo(twice.calls))).toThrow(InvalidCallIdError);
    expect(() => adapter.toFollowUp(twice, echo(twice.calls))).toThrow(/not unique/);
  });

  it("refuses a batch whose calls no longer match its turn", () => {
    const adapter = anthropic();
    const batch = adapter.toBatch(message([toolUse("toolu_A", "a"), toolUse("toolu_B", "b")]));
    const cut = { ...batch, calls: batch.calls.slice(0, 1) };
    expect(() => adapter.toFollowUp(cut, echo(cut.calls))).toThrow(ResultMismatchError);
    expect(() => adapter.toFollowUp(batch, echo(batch.calls).reverse())).toThrow(
      ResultMismatchError,
    );
  });
});

describe("anthropic requestOptions", () => {
  const request = (fields: object) =>
    loadSpecValidator("anthropic").validate("CreateMessageParams", {
      model: "claude-test",
      max_tokens: 1024,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "get_time", input_schema: { type: "object" } }],
      ...fields,
    });

  it.each([
    [{ parallel: false }, { tool_choice: { type: "auto", disable_parallel_tool_use: true } }],
    [{ parallel: true }, {}],
    [
      { parallel: false, toolChoice: { type: "any" } },
      { tool_choice: { type: "any", disable_parallel_tool_use: true } },
    ],
    [
      { parallel: false, toolChoice: { type: "tool", name: "get_time" } },
      { tool_choice: { type: "tool", name: "get_time", disable_parallel_tool_use: true } },
    ],
    [
      { parallel: true, toolChoice: { type: "any", disable_parallel_tool_use: true } },
      { tool_choice: { type: "any" } },
    ],
    [{ parallel: false, toolChoice: { type: "none" } }, { tool_choice: { type: "none" } }],
    [
      {
        parallel: false,
        toolChoice: { type: "auto" },
        thinking: { type: "enabled", budget_tokens: 2048 },
      },
      { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    ],
    [
      { parallel: false, toolChoice: { type: "any" }, thinking: { type: "disabled" } },
      { tool_choice: { type: "any", disable_parallel_tool_use: true } },
    ],
    [{ parallel: false, toolCount: 0, toolChoice: { type: "any" } }, {}],
  ] as const)("merges %j into %j", (options, expected) => {
    const onWarning = vi.fn();
    const fields = anthropic({ onWarning }).requestOptions(options);
    expect(fields).toStrictEqual(expected);
    expect(onWarning).not.toHaveBeenCalled();
    expect(request(fields)).toStrictEqual([]);
  });

  it.each([
    [{ type: "any" }, true],
    [{ type: "tool", name: "get_time" }, false],
  ] as const)(
    "sends tool_choice %j as auto with thinking on, and says so (parallel: %s)",
    (toolChoice, parallel) => {
      const onWarning = vi.fn();
      const fields = anthropic({ onWarning }).requestOptions({
        parallel,
        toolChoice,
        thinking: { type: "adaptive" },
      });
      expect(fields).toStrictEqual(
        parallel
          ? { tool_choice: { type: "auto" } }
          : { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
      );
      expect(onWarning).toHaveBeenCalledOnce();
      expect(onWarning.mock.calls[0]?.[0]).toMatchObject({
        code: "tool-choice-with-thinking",
        message: expect.stringContaining(
          `tool_choice "${toolChoice.type}" cannot be combined with thinking`,
        ),
      });
    },
  );

  it("merges with the request itself in withTools (runToolLoop), tools and tool_choice alike", () => {
    const adapter = anthropic();
    const base = {
      model: "claude-test",
      max_tokens: 1024,
      messages: [{ role: "user" as const, content: "hi" }],
    };
    // No tool at all: nothing declared, no switch (tool_choice without tools is a 400).
    expect(adapter.withTools(base, [], { parallel: false })).toStrictEqual(base);
    const timeTool = defineTool({
      name: "get_time",
      description: "",
      input: z.object({}),
      execute: () => "noon",
    });
    const memory = { type: "memory_20250818", name: "memory" } as const;
    const merged = adapter.withTools(
      { ...base, tools: [memory], tool_choice: { type: "tool", name: "get_time" } },
      [timeTool],
      { parallel: false },
    );
    expect(merged).toStrictEqual({
      ...base,
      tools: [memory, ...adapter.tools([timeTool])],
      tool_choice: { type: "tool", name: "get_time", disable_parallel_tool_use: true },
    });
    // Only the app's own (server) tools: the switch still applies to them.
    expect(adapter.withTools({ ...base, tools: [memory] }, [], { parallel: false })).toStrictEqual({
      ...base,
      tools: [memory],
      tool_choice: { type: "auto", disable_parallel_tool_use: true },
    });
    expect(adapter.history(merged)).toStrictEqual(base.messages);
    expect(adapter.withHistory(merged, []).messages).toStrictEqual([]);
  });

  it("warns on the console when no onWarning is given", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      anthropic().requestOptions({
        parallel: true,
        toolChoice: { type: "any" },
        thinking: { type: "enabled", budget_tokens: 1024 },
      });
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/^\[toolbatch\/anthropic\] tool_choice "any" cannot be combined/),
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe("anthropic tools", () => {
  it("declares { name, description, input_schema } and refuses two tools of one name", () => {
    const tool = defineTool({
      name: "get_weather",
      description: "Current temperature",
      input: z.object({ city: z.string() }),
      execute: () => 18,
    });
    const bare = defineTool({
      name: "get_time",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => "noon",
    });
    expect(anthropic().tools([tool, bare])).toStrictEqual([
      { name: "get_weather", description: "Current temperature", input_schema: tool.inputSchema },
      { name: "get_time", input_schema: { type: "object" } },
    ]);
    expect(() => anthropic().tools([tool, tool])).toThrow(DuplicateToolError);
  });
});
