import { defineTool, executeBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkStrictJsonSchema } from "../src/check-strict-json-schema.js";
import { convertToStrictJsonSchema } from "../src/convert-to-strict-json-schema.js";
import { openaiChat, openaiResponses, StrictSchemaError } from "../src/index.js";
import { openaiStrictTool } from "../src/openai-strict-tool.js";
import { stripConvertedNulls } from "../src/strip-converted-nulls.js";

const jsonTool = (name: string, jsonSchema: Record<string, unknown>) =>
  defineTool({ name, description: "", input: { jsonSchema }, execute: () => null });

function strictError(run: () => unknown): StrictSchemaError {
  try {
    run();
  } catch (error) {
    if (StrictSchemaError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a StrictSchemaError");
}

describe("strict mode: every problem of every tool, at tools() time", () => {
  const schedule = jsonTool("schedule", {
    type: "object",
    properties: {
      when: { anyOf: [{ type: "string" }, { allOf: [{ type: "string" }], default: "now" }] },
      tags: { type: "object", additionalProperties: { type: "string" } },
      note: { type: "string" },
    },
    required: ["when", "tags"],
  });
  const lookup = jsonTool("lookup", {
    type: "object",
    properties: { id: { oneOf: [{ type: "string" }, { type: "integer" }] } },
    required: ["id"],
  });

  it("lists each problem with its tool, JSON pointer and fix, in one error, for Chat and Responses", () => {
    for (const declare of [
      () => openaiChat({ strict: true }).tools([schedule, lookup]),
      () => openaiResponses({ strict: true }).tools([schedule, lookup]),
    ]) {
      const error = strictError(declare);
      expect(error.problems.map((p) => [p.toolName, p.pointer, p.kind])).toStrictEqual([
        ["schedule", "", "optional"],
        ["schedule", "/properties/when/anyOf/1", "keyword"],
        ["schedule", "/properties/when/anyOf/1", "default"],
        ["schedule", "/properties/tags", "additional-properties"],
        ["lookup", "/properties/id", "keyword"],
      ]);
      expect(error.toolName).toBe("schedule");
      expect(error.message).toContain(
        'tool "schedule" at /properties/when/anyOf/1 "allOf" is not supported.',
      );
      expect(error.message).toContain(
        'tool "lookup" at /properties/id "oneOf" is not supported. Fix: use "anyOf"',
      );
      expect(error.message.split("\n")).toHaveLength(7);
    }
  });

  it("gives .default() its own message: strict mode has no defaults", () => {
    const tool = defineTool({
      name: "page",
      description: "",
      input: z.object({ size: z.number().default(10) }),
      execute: () => null,
    });
    const [problem, ...rest] = strictError(() =>
      openaiChat({ strict: true }).tools([tool]),
    ).problems;
    expect(rest.map((p) => p.kind)).toStrictEqual(["default"]);
    expect(problem?.kind).toBe("optional");
    expect(rest[0]).toMatchObject({
      pointer: "/properties/size",
      problem: "strict mode has no defaults: the model sends every property.",
    });
    expect(rest[0]?.fix).toMatch(/required and nullable/);
  });

  it("refuses a root that is not an object, and schemas past the size limits", () => {
    expect(
      checkStrictJsonSchema("t", { type: "object", anyOf: [] }).map((p) => p.kind),
    ).toStrictEqual(["root"]);
    const many = Object.fromEntries(
      Array.from({ length: 5001 }, (_, i) => [`p${i}`, { type: "string" }]),
    );
    const wide = checkStrictJsonSchema("t", {
      type: "object",
      properties: many,
      required: Object.keys(many),
    });
    expect(wide.map((p) => p.problem)).toStrictEqual([
      "the schema has 5001 object properties; strict mode allows 5000.",
    ]);
    let deep: Record<string, unknown> = { type: "object", properties: {}, required: [] };
    for (let i = 0; i < 10; i++)
      deep = { type: "object", properties: { x: deep }, required: ["x"] };
    expect(checkStrictJsonSchema("t", deep).map((p) => [p.pointer, p.kind])).toStrictEqual([
      [`${"/properties/x".repeat(10)}`, "limit"],
    ]);
    const values = Array.from({ length: 300 }, (_, i) => `${"v".repeat(60)}${i}`);
    expect(
      checkStrictJsonSchema("t", {
        type: "object",
        properties: { e: { type: "string", enum: values } },
        required: ["e"],
      }).map((p) => p.pointer),
    ).toStrictEqual(["/properties/e"]);
  });

  it("sends a clean schema with additionalProperties: false on every object", () => {
    const [declared] = openaiResponses({ strict: true }).tools([
      jsonTool("a", {
        type: "object",
        properties: {
          list: { type: "array", items: { type: "object", properties: {}, required: [] } },
        },
        required: ["list"],
      }),
    ]);
    expect(declared?.parameters).toStrictEqual({
      type: "object",
      properties: {
        list: {
          type: "array",
          items: { type: "object", properties: {}, required: [], additionalProperties: false },
        },
      },
      required: ["list"],
      additionalProperties: false,
    });
  });
});

describe("openaiStrictTool: OpenAI's conversion, undone before the tool runs", () => {
  const seen: unknown[] = [];
  const search = openaiStrictTool(
    defineTool({
      name: "search",
      description: "Search",
      input: z.object({
        query: z.string(),
        limit: z.number().optional(),
        page: z.number().default(1),
        filter: z
          .object({ lang: z.enum(["en", "fr"]).optional(), after: z.string().nullable() })
          .optional(),
      }),
      execute: (input) => {
        seen.push(input);
        return "ok";
      },
    }),
  );

  it("converts optional and defaulted properties to required and nullable, and passes the checker", () => {
    expect(search.inputSchema).toMatchObject({
      required: ["query", "limit", "page", "filter"],
      additionalProperties: false,
      properties: {
        limit: { type: ["number", "null"] },
        page: { type: ["number", "null"] },
        filter: {
          type: ["object", "null"],
          required: ["after", "lang"],
          additionalProperties: false,
          properties: { lang: { type: ["string", "null"], enum: ["en", "fr", null] } },
        },
      },
    });
    expect(search.inputSchema.properties?.page).not.toHaveProperty("default");
    expect(checkStrictJsonSchema("search", search.inputSchema)).toStrictEqual([]);
    expect(openaiChat({ strict: true }).tools([search])[0]?.function.parameters).toStrictEqual(
      search.inputSchema,
    );
  });

  it("hands the tool absent keys for the nulls it added, keeps the nulls the tool allowed, applies defaults", async () => {
    seen.length = 0;
    const calls = [
      { query: "a", limit: null, page: null, filter: null },
      { query: "b", limit: 3, page: 2, filter: { lang: null, after: null } },
    ].map((input, index) => ({ id: `c${index}`, name: "search", input, index }));
    const results = await executeBatch(
      { provider: "openai-chat", calls, complete: true, turn: null },
      [search],
    );
    expect(results.map((r) => r.ok)).toStrictEqual([true, true]);
    expect(seen).toStrictEqual([
      { query: "a", page: 1 },
      { query: "b", limit: 3, page: 2, filter: { after: null } },
    ]);
  });

  it("follows $ref, items and the anyOf branch whose keys the arguments have", () => {
    const schema = {
      type: "object",
      $defs: {
        point: {
          type: "object",
          properties: { x: { type: "number" }, label: { type: "string" } },
          required: ["x"],
        },
      },
      properties: {
        points: { type: "array", items: { $ref: "#/$defs/point" } },
        shape: {
          anyOf: [
            {
              type: "object",
              properties: { r: { type: "number" }, tag: { type: "string" } },
              required: ["r"],
            },
            {
              type: "object",
              properties: { w: { type: "number" }, tag: { type: "null" } },
              required: ["w"],
            },
          ],
        },
      },
      required: ["points", "shape"],
    };
    expect(checkStrictJsonSchema("s", convertToStrictJsonSchema(schema))).toStrictEqual([]);
    const value = { points: [{ x: 1, label: null }], shape: { w: 2, tag: null } };
    expect(stripConvertedNulls(schema, value)).toStrictEqual({
      points: [{ x: 1 }],
      shape: { w: 2, tag: null },
    });
    expect(stripConvertedNulls(schema, { points: [], shape: { r: 1, tag: null } })).toStrictEqual({
      points: [],
      shape: { r: 1 },
    });
    expect(value.points[0]).toStrictEqual({ x: 1, label: null });
  });

  it("leaves what it cannot convert for the checker: a record stays a record", () => {
    const record = openaiStrictTool(
      jsonTool("r", {
        type: "object",
        properties: { m: { type: "object", additionalProperties: { type: "string" } } },
      }),
    );
    expect(
      strictError(() => openaiChat({ strict: true }).tools([record])).problems.map((p) => [
        p.pointer,
        p.kind,
      ]),
    ).toStrictEqual([["/properties/m", "additional-properties"]]);
  });
});
