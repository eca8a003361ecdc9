import type {
  MessageCreateParams,
  MessageParam,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import {
  jsonReply,
  loadSpecValidator,
  type RecordedRequest,
  type ServerReply,
  scriptedToolModel,
  sseReply,
} from "@toolbatch/contract";
import { defineTool, runToolLoop } from "@toolbatch/core";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { anthropic } from "../src/index.js";
import { anthropicServer, message, streamOf, text, thinking, toolUse } from "./support.js";

const cities = ["Paris", "Tokyo", "Lima", "Oslo"];
const lookups = message([
  thinking("Four cities, four lookups.", "EqQBCkYIBxgCKkDl7v"),
  ...cities.map((city, i) => toolUse(`toolu_0${i}`, "get_weather", { city })),
]);

/** A scripted model: four lookups first, then an answer from the tool_result blocks it got back. */
function scripted(stream: boolean) {
  return (request: RecordedRequest): ServerReply => {
    const body = request.body as MessageCreateParams;
    const last = body.messages.at(-1) as MessageParam;
    const blocks = typeof last.content === "string" ? [] : last.content;
    const answers = blocks
      .filter((block): block is ToolResultBlockParam => block.type === "tool_result")
      .map((block) => `${block.is_error ? "error " : ""}${String(block.content)}`);
    const reply = answers.length === 0 ? lookups : message([text(answers.join(" | "))], "end_turn");
    return stream
      ? sseReply(streamOf(reply, [4, 9]).map((data) => ({ event: data.type, data })))
      : jsonReply(reply);
  };
}

const weather = defineTool({
  name: "get_weather",
  description: "Current temperature in a city",
  input: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    if (city === "Lima") throw new Error("station offline");
    return { city, celsius: city.length * 3 };
  },
});

describe("runToolLoop with anthropic() through the real SDK", () => {
  it.each([false, true])(
    "runs the lookups, then returns the answer and a history Anthropic accepts (stream: %s)",
    async (stream) => {
      const { server, client } = await anthropicServer(scripted(stream));
      const webSearch = { type: "web_search_20250305", name: "web_search" } as const;
      const result = await runToolLoop({
        adapter: anthropic(),
        tools: [weather],
        parallel: false,
        request: {
          model: "claude-test",
          max_tokens: 1024,
          messages: [{ role: "user", content: "Weather in four cities?" }],
          tools: [webSearch],
          tool_choice: { type: "any" },
          stream,
        } as MessageCreateParams,
        send: (request) => client.messages.create(request),
      });

      expect(result.stopReason).toBe("done");
      const [answer] = result.finalTurn?.content ?? [];
      const parts = (answer?.type === "text" ? answer.text : "").split(" | ");
      expect(parts).toStrictEqual([
        '{"city":"Paris","celsius":15}',
        '{"city":"Tokyo","celsius":15}',
        expect.stringMatching(/^error Error \(execution_failed\): .*station offline/),
        '{"city":"Oslo","celsius":12}',
      ]);
      expect(result.history.map((m) => m.role)).toStrictEqual([
        "user",
        "assistant",
        "user",
        "assistant",
      ]);
      const [first, second] = server.requests.map((r) => r.body as MessageCreateParams);
      // The app's server tool stays declared next to ours; its tool_choice is kept, with the switch.
      expect(first?.tools).toStrictEqual([webSearch, ...anthropic().tools([weather])]);
      expect(first?.tool_choice).toStrictEqual({ type: "any", disable_parallel_tool_use: true });
      expect(loadSpecValidator("anthropic").validate("CreateMessageParams", second)).toStrictEqual(
        [],
      );
      expect(second?.messages[1]).toStrictEqual({ role: "assistant", content: lookups.content });
      expect(result.request.messages).toStrictEqual(result.history);
    },
  );

  it("sends tool_choice any as auto when the request thinks, and says so", async () => {
    const { server, client } = await anthropicServer(scripted(false));
    const onWarning = vi.fn();
    await runToolLoop({
      adapter: anthropic({ onWarning }),
      tools: [weather],
      request: {
        model: "claude-test",
        max_tokens: 4096,
        messages: [{ role: "user", content: "Weather in four cities?" }],
        thinking: { type: "enabled", budget_tokens: 2048 },
        tool_choice: { type: "any" },
      },
      send: (request) => client.messages.create({ ...request, stream: false }),
    });
    const [first] = server.requests.map((r) => r.body as MessageCreateParams);
    expect(first?.tool_choice).toStrictEqual({ type: "auto" });
    expect(onWarning).toHaveBeenCalledOnce();
    expect(onWarning.mock.calls[0]?.[0]).toMatchObject({ code: "tool-choice-with-thinking" });
  });

  it.each([
    [true, false],
    [true, true],
    [false, false],
    [false, true],
  ])("runs the kit's scripted model (parallel: %s, stream: %s)", async (parallel, stream) => {
    const { server, client } = await anthropicServer(
      scriptedToolModel({
        calls: cities.map((city) => ({ name: "get_weather", arguments: { city } })),
        answer: (texts) => texts.join(" | "),
      }),
    );
    const result = await runToolLoop({
      adapter: anthropic(),
      tools: [weather],
      parallel,
      request: {
        model: "scripted",
        max_tokens: 1024,
        messages: [{ role: "user", content: "Weather in four cities?" }],
        stream,
      } as MessageCreateParams,
      send: (request) => client.messages.create(request),
    });
    expect(result.stopReason).toBe("done");
    // Four calls in one turn, or one per turn when parallel calls are off; then the answer.
    expect(result.steps.map((step) => step.batch.calls.length)).toStrictEqual(
      parallel ? [4, 0] : [1, 1, 1, 1, 0],
    );
    const last = server.requests.at(-1)?.body as MessageCreateParams;
    expect(loadSpecValidator("anthropic").validate("CreateMessageParams", last)).toStrictEqual([]);
  });
});
