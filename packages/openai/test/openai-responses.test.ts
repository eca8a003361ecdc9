import { loadSpecValidator } from "@toolbatch/contract";
import { ResultMismatchError, toolFailure, toolSuccess } from "@toolbatch/core";
import type {
  Response,
  ResponseInputItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { openaiResponses, StrictSchemaError } from "../src/index.js";

const call = (callId: string, name: string, args: string, extra: Record<string, unknown> = {}) => ({
  type: "function_call",
  id: `fc_${callId}`,
  call_id: callId,
  name,
  arguments: args,
  status: "completed",
  ...extra,
});

const response = (output: unknown[], status = "completed") =>
  ({
    id: "resp_1",
    object: "response",
    status,
    output,
    parallel_tool_calls: true,
  }) as unknown as Response;

const valid = (input: ResponseInputItem[]) =>
  loadSpecValidator("openai").validate("CreateResponse", {
    model: "gpt-test",
    input: [{ role: "user", content: "hi" }, ...input],
  });

describe("openaiResponses toBatch", () => {
  it("pairs calls by call_id, never by the fc_ item id", () => {
    const batch = openaiResponses().toBatch(
      response([call("call_1", "a", '{"x":1}'), call("call_2", "b", "")]),
    );
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual([
      ["call_1", "a", { x: 1 }],
      ["call_2", "b", {}],
    ]);
    expect(batch.turn.responseId).toBe("resp_1");
  });

  it.each(["incomplete", "failed", "in_progress"])(
    "runs nothing when the response is %s",
    (status) => {
      expect(
        openaiResponses().toBatch(response([call("call_1", "a", '{"x":')], status)).complete,
      ).toBe(false);
    },
  );

  it("runs nothing when a call item itself is incomplete", () => {
    const batch = openaiResponses().toBatch(
      response([call("call_1", "a", "{}", { status: "incomplete" })]),
    );
    expect(batch.complete).toBe(false);
  });

  it("warns when a reasoning item cannot be echoed under store: false", () => {
    const batch = openaiResponses().toBatch(
      response([{ type: "reasoning", id: "rs_1", summary: [] }, call("call_1", "a", "{}")]),
    );
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["reasoning-without-content"]);
    const withContent = openaiResponses().toBatch(
      response([
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAA" },
        call("call_1", "a", "{}"),
      ]),
    );
    expect(withContent.warnings).toBeUndefined();
  });

  it("never executes server-side tool calls, but echoes them", () => {
    const adapter = openaiResponses();
    const search = {
      type: "web_search_call",
      id: "ws_1",
      status: "completed",
      action: { type: "search", query: "x" },
    };
    const batch = adapter.toBatch(response([search, call("call_1", "a", "{}")]));
    expect(batch.calls.map((c) => c.id)).toStrictEqual(["call_1"]);
    const followUp = adapter.toFollowUp(batch, [toolSuccess(batch.calls[0] as never, "ok")]);
    expect(followUp[0]).toStrictEqual(search);
  });
});

describe("openaiResponses toFollowUp", () => {
  const output = [
    { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAAA" },
    call("call_1", "a", "{}"),
    call("call_2", "b", "{}"),
  ];

  it("echoes every output item, then one function_call_output per call in call order", () => {
    const adapter = openaiResponses();
    const batch = adapter.toBatch(response(output));
    const followUp = adapter.toFollowUp(batch, [
      toolSuccess(batch.calls[0] as never, { temp: 18 }),
      toolFailure(batch.calls[1] as never, "timeout", "too slow"),
    ]);
    expect(followUp).toStrictEqual([
      ...output,
      { type: "function_call_output", call_id: "call_1", output: '{"temp":18}' },
      { type: "function_call_output", call_id: "call_2", output: "Error (timeout): too slow" },
    ]);
    expect(valid(followUp)).toStrictEqual([]);
    expect(() => adapter.toFollowUp(batch, [])).toThrow(ResultMismatchError);
  });

  it("echoes a call a compatible server sent without call_id under the id its output names", () => {
    const adapter = openaiResponses();
    const { call_id: _a, ...first } = call("", "a", "{}");
    const { call_id: _b, ...second } = call("", "b", "{}");
    const batch = adapter.toBatch(response([first, { ...second, call_id: null }]));
    expect(batch.calls.map((c) => c.idSynthesized)).toStrictEqual([true, true]);
    const followUp = adapter.toFollowUp(
      batch,
      batch.calls.map((c) => toolSuccess(c, "ok")),
    ) as { type: string; call_id?: string }[];
    const [id1, id2] = batch.calls.map((c) => c.id);
    expect(followUp.map((item) => [item.type, item.call_id])).toStrictEqual([
      ["function_call", id1],
      ["function_call", id2],
      ["function_call_output", id1],
      ["function_call_output", id2],
    ]);
    expect(valid(followUp as ResponseInputItem[])).toStrictEqual([]);
    // The turn itself is left as the server sent it.
    expect(batch.turn.output[0]).not.toHaveProperty("call_id");
  });

  it("answers custom tool calls with custom_tool_call_output", () => {
    const adapter = openaiResponses({ history: "previous-response" });
    const batch = adapter.toBatch(
      response([
        {
          type: "custom_tool_call",
          id: "ctc_1",
          call_id: "call_c",
          name: "sql",
          input: "SELECT 1",
        },
      ]),
    );
    expect(batch.calls[0]).toMatchObject({ id: "call_c", input: "SELECT 1" });
    expect(
      adapter.toFollowUp(batch, [toolSuccess(batch.calls[0] as never, "1 row")]),
    ).toStrictEqual([{ type: "custom_tool_call_output", call_id: "call_c", output: "1 row" }]);
  });
});

describe("openaiResponses stream assembler", () => {
  const events = (): ResponseStreamEvent[] =>
    [
      { type: "response.created", sequence_number: 0, response: { id: "resp_s", output: [] } },
      {
        type: "response.output_item.added",
        sequence_number: 1,
        output_index: 0,
        item: { type: "reasoning", id: "rs_1", summary: [] },
      },
      {
        type: "response.output_item.done",
        sequence_number: 2,
        output_index: 0,
        item: { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "FULL" },
      },
      {
        type: "response.output_item.added",
        sequence_number: 3,
        output_index: 1,
        item: { ...call("call_1", "a", ""), status: "in_progress" },
      },
      {
        type: "response.function_call_arguments.delta",
        sequence_number: 4,
        item_id: "fc_call_1",
        output_index: 1,
        delta: '{"q":',
      },
      {
        type: "response.function_call_arguments.delta",
        sequence_number: 5,
        item_id: "fc_call_1",
        output_index: 1,
        delta: "1}",
      },
      {
        type: "response.function_call_arguments.done",
        sequence_number: 6,
        item_id: "fc_call_1",
        output_index: 1,
        arguments: '{"q":1}',
      },
      {
        type: "response.output_item.done",
        sequence_number: 7,
        output_index: 1,
        item: call("call_1", "a", '{"q":1}'),
      },
      {
        type: "response.completed",
        sequence_number: 8,
        response: { id: "resp_s", status: "completed", output: [] },
      },
    ] as unknown as ResponseStreamEvent[];

  it("completes a call at its arguments' done event, takes names from added and items from done", () => {
    const assembler = openaiResponses().createStreamAssembler();
    const reported = events().map((event) => assembler.push(event).map((c) => c.id));
    expect(reported).toStrictEqual([[], [], [], [], [], [], ["call_1"], [], []]);
    const batch = assembler.finish();
    expect(batch.complete).toBe(true);
    expect(batch.turn.responseId).toBe("resp_s");
    expect(batch.turn.output[0]).toMatchObject({ encrypted_content: "FULL" });
    expect(batch.calls.map((c) => [c.id, c.name, c.input])).toStrictEqual([
      ["call_1", "a", { q: 1 }],
    ]);
  });

  it("runs nothing when the stream ends before response.completed", () => {
    const assembler = openaiResponses().createStreamAssembler();
    for (const event of events().slice(0, 5)) assembler.push(event);
    const batch = assembler.finish();
    expect(batch.complete).toBe(false);
    expect(batch.calls.map((c) => c.name)).toStrictEqual(["a"]);
  });

  it("keeps a call it reported when the stream ends before the call's output_item.done", () => {
    // issue 15 item 6: push() reported the call (eager execution ran it), finish() left it out.
    const assembler = openaiResponses().createStreamAssembler();
    const reported = events()
      .slice(0, 7)
      .flatMap((event) => assembler.push(event));
    expect(reported.map((c) => [c.id, c.input])).toStrictEqual([["call_1", { q: 1 }]]);
    const batch = assembler.finish();
    expect(batch.complete).toBe(false);
    expect(batch.calls).toStrictEqual(reported);
    expect(batch.turn.output[1]).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      arguments: '{"q":1}',
    });
  });
});

describe("openaiResponses tools", () => {
  it("declares flat function tools and always says whether they are strict", async () => {
    const { defineTool } = await import("@toolbatch/core");
    const { z } = await import("zod");
    const tool = defineTool({
      name: "a",
      description: "A",
      input: z.object({ q: z.string() }),
      execute: () => null,
    });
    expect(openaiResponses().tools([tool])).toStrictEqual([
      {
        type: "function",
        name: "a",
        description: "A",
        parameters: tool.inputSchema,
        strict: false,
      },
    ]);
    expect(openaiResponses({ strict: true }).tools([tool])[0]).toMatchObject({
      strict: true,
      parameters: { additionalProperties: false },
    });
    const loose = defineTool({
      name: "b",
      description: "",
      input: z.object({ q: z.string().optional() }),
      execute: () => null,
    });
    expect(() => openaiResponses({ strict: true }).tools([loose])).toThrow(StrictSchemaError);
  });
});
