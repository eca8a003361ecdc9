import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type AnyTool,
  defineTool,
  executeBatch,
  type InferToolInput,
  jsonSchema,
  type Tool,
  type ToolCall,
  type ToolResult,
} from "../src/index.js";

describe("defineTool types", () => {
  it("infers execute's input from a zod schema (its output type)", () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({
        city: z.string(),
        days: z.number().optional(),
        n: z.string().transform(Number),
      }),
      execute: (input, context) => {
        expectTypeOf(input).toEqualTypeOf<{ city: string; days?: number | undefined; n: number }>();
        expectTypeOf(context.call).toEqualTypeOf<ToolCall>();
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
        return input.city.length;
      },
      lock: (input) => {
        expectTypeOf(input.city).toEqualTypeOf<string>();
        return input.city;
      },
    });
    expectTypeOf(tool).toEqualTypeOf<
      Tool<{ city: string; days?: number | undefined; n: number }, number, "t">
    >();
  });

  it("infers the output of async tools without the Promise", () => {
    const tool = defineTool({
      name: "t",
      description: "",
      input: z.object({}),
      execute: async () => ({ ok: 1 }),
    });
    expectTypeOf(tool).toEqualTypeOf<Tool<Record<string, never>, { ok: number }, "t">>();
  });

  it("types JSON Schema inputs from jsonSchema<T>() and leaves plain { jsonSchema } unknown", () => {
    defineTool({
      name: "t",
      description: "",
      input: jsonSchema<{ q: string }>({ type: "object" }),
      execute: (input) => expectTypeOf(input).toEqualTypeOf<{ q: string }>(),
    });
    defineTool({
      name: "t",
      description: "",
      input: { jsonSchema: { type: "object" } },
      execute: (input) => expectTypeOf(input).toEqualTypeOf<unknown>(),
    });
    expectTypeOf<InferToolInput<z.ZodObject<{ a: z.ZodString }>>>().toEqualTypeOf<{ a: string }>();
  });

  it("rejects a lock that returns something other than keys, and a wrong input use", () => {
    defineTool({
      name: "t",
      description: "",
      input: z.object({ a: z.string() }),
      // @ts-expect-error lock must return a key, keys, or nothing
      lock: () => 42,
      execute: () => null,
    });
    defineTool({
      name: "t",
      description: "",
      input: z.object({ a: z.string() }),
      // @ts-expect-error `a` is a string
      execute: ({ a }) => a.toFixed(),
    });
  });

  it("puts tools of different types into one list for executeBatch", () => {
    const a = defineTool({
      name: "a",
      description: "",
      input: z.object({ x: z.string() }),
      execute: ({ x }) => x,
    });
    const b = defineTool({
      name: "b",
      description: "",
      input: z.object({ y: z.number() }),
      execute: ({ y }) => y,
    });
    const list: AnyTool[] = [a, b];
    expectTypeOf(
      executeBatch({ provider: "p", calls: [], complete: true, turn: null }, list),
    ).toEqualTypeOf<Promise<ToolResult[]>>();
  });
});
