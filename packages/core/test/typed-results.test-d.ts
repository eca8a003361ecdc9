import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type AnyTool,
  type BatchExecution,
  createToolSet,
  defineTool,
  executeBatch,
  relayResult,
  startBatchExecution,
  type Tool,
  type ToolCallBatch,
  type ToolFailure,
  type ToolName,
  type ToolResult,
  type ToolResultOf,
  type ToolSuccess,
} from "../src/index.js";

interface LookupOutput {
  readonly city: string;
  readonly population: number;
}

const lookup = defineTool({
  name: "lookup",
  description: "Looks a city up",
  input: z.object({ city: z.string() }),
  execute: async ({ city }): Promise<LookupOutput> => ({ city, population: 1 }),
});
const search = defineTool({
  name: "search",
  description: "Searches",
  input: z.object({ query: z.string() }),
  execute: ({ query }) => [query],
  toModelOutput: (hits, { call }) => {
    expectTypeOf(hits).toEqualTypeOf<string[]>();
    expectTypeOf(call.id).toEqualTypeOf<string>();
    return hits.length;
  },
});
const batch = {} as ToolCallBatch;

describe("typed results", () => {
  it("keeps the literal name of a defined tool", () => {
    expectTypeOf(lookup).toEqualTypeOf<Tool<{ city: string }, LookupOutput, "lookup">>();
    expectTypeOf(lookup.name).toEqualTypeOf<"lookup">();
    expectTypeOf(lookup).toExtend<AnyTool>();
    expectTypeOf(search).toExtend<AnyTool>();
  });

  it("names the tools of a list as a string-literal union", () => {
    const tools = [lookup, search];
    expectTypeOf<ToolName<typeof tools>>().toEqualTypeOf<"lookup" | "search">();
    expectTypeOf<ToolName<readonly AnyTool[]>>().toEqualTypeOf<string>();
  });

  it("narrows a success's output by its name", async () => {
    const results = await executeBatch(batch, [lookup, search]);
    for (const result of results) {
      if (result.ok && result.name === "lookup") {
        expectTypeOf(result.output).toEqualTypeOf<LookupOutput>();
      } else if (result.ok) {
        expectTypeOf(result.name).toEqualTypeOf<"search">();
        expectTypeOf(result.output).toEqualTypeOf<string[]>();
        // What the model reads is the application's mapping: any JSON data.
        expectTypeOf(result.modelOutput).toEqualTypeOf<unknown>();
      } else {
        expectTypeOf(result).toEqualTypeOf<ToolFailure>();
      }
    }
    expectTypeOf(results).toEqualTypeOf<
      Array<ToolSuccess<"lookup", LookupOutput> | ToolSuccess<"search", string[]> | ToolFailure>
    >();
  });

  it("keeps a failure's name a string: the model may call a tool not in the list", async () => {
    const [first] = await executeBatch(batch, [lookup]);
    if (first && !first.ok) {
      expectTypeOf(first.name).toEqualTypeOf<string>();
      expectTypeOf(first.error.code).toEqualTypeOf<ToolFailure["error"]["code"]>();
    }
    // Narrowing by a name alone leaves the failures in: their name may be anything.
    if (first?.name === "lookup") {
      expectTypeOf(first).toEqualTypeOf<ToolSuccess<"lookup", LookupOutput> | ToolFailure>();
    }
  });

  it("types startBatchExecution's results the same way", async () => {
    const execution = startBatchExecution([lookup, search]);
    expectTypeOf(execution).toEqualTypeOf<
      BatchExecution<ToolResultOf<[typeof lookup, typeof search]>>
    >();
    const results = await execution.finish(batch);
    expectTypeOf(results).toEqualTypeOf<
      Array<ToolSuccess<"lookup", LookupOutput> | ToolSuccess<"search", string[]> | ToolFailure>
    >();
  });

  it("leaves untyped lists and tool sets as today: unknown output", async () => {
    const untyped: readonly AnyTool[] = [lookup, search];
    expectTypeOf(await executeBatch(batch, untyped)).toEqualTypeOf<ToolResult[]>();
    expectTypeOf(await executeBatch(batch, createToolSet(untyped))).toEqualTypeOf<ToolResult[]>();
    expectTypeOf(await startBatchExecution(untyped).finish(batch)).toEqualTypeOf<ToolResult[]>();
    expectTypeOf<ToolResultOf<readonly AnyTool[]>>().toEqualTypeOf<ToolResult>();
  });

  it("types a relaying tool's output unknown: the relayed result's output is not its return", async () => {
    const remote = defineTool({
      name: "remote",
      description: "",
      input: z.object({}),
      execute: async () => relayResult({ callId: "c", name: "remote", ok: true, output: 1 }),
    });
    const [result] = await executeBatch(batch, [remote]);
    if (result?.ok) expectTypeOf(result.output).toEqualTypeOf<unknown>();
  });

  it("compiles existing code unchanged", async () => {
    // Typed results are ToolResults: assignable where code expects them.
    const results: ToolResult[] = await executeBatch(batch, [lookup, search]);
    const followUp = (list: readonly ToolResult[]) => list.length;
    followUp(await executeBatch(batch, [lookup]));
    // A tool annotated with the old two parameters still takes a defined tool.
    const typed: Tool<{ city: string }, LookupOutput> = lookup;
    const list: AnyTool[] = [typed, search];
    const names: string[] = list.map((tool) => tool.name);
    // An explicit defineTool<Schema, Output> keeps compiling, with a string name.
    const schema = z.object({ city: z.string() });
    const explicit = defineTool<typeof schema, number>({
      name: "explicit",
      description: "",
      input: schema,
      execute: () => 1,
    });
    expectTypeOf(explicit.name).toEqualTypeOf<string>();
    expectTypeOf(results.length + names.length).toEqualTypeOf<number>();
  });
});
