import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createToolSet,
  DuplicateToolError,
  defineTool,
  InvalidToolDefinitionError,
  jsonSchema,
  ToolbatchError,
} from "../src/index.js";

const noop = () => null;

describe("defineTool", () => {
  it("derives the input JSON Schema from zod, without $schema", () => {
    const tool = defineTool({
      name: "get_weather",
      description: "Weather for a city",
      input: z.object({
        city: z.string().describe("City name"),
        days: z.number().int().optional(),
      }),
      execute: noop,
    });
    expect(tool.inputSchema).toStrictEqual({
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        days: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
      },
      required: ["city"],
    });
    expect(tool.inputSchema).toBe(tool.inputSchema);
  });

  it("takes plain JSON Schema as { jsonSchema } and via jsonSchema()", () => {
    const schema = { type: "object", properties: { q: { type: "string" } }, required: ["q"] };
    expect(
      defineTool({ name: "a", description: "", input: { jsonSchema: schema }, execute: noop })
        .inputSchema,
    ).toBe(schema);
    expect(
      defineTool({
        name: "b",
        description: "",
        input: jsonSchema<{ q: string }>(schema),
        execute: noop,
      }).inputSchema,
    ).toBe(schema);
  });

  it("prefers an explicit jsonSchema over the derived one", () => {
    const explicit = { type: "object", properties: {} };
    const tool = defineTool({
      name: "a",
      description: "",
      input: z.object({}),
      jsonSchema: explicit,
      execute: noop,
    });
    expect(tool.inputSchema).toBe(explicit);
  });

  it.each(["", "1abc", "has space", "dotted.name", "a".repeat(65), "ünïcode", "__proto__"])(
    "rejects the non-portable name %j",
    (name) => {
      expect(() =>
        defineTool({ name, description: "", input: z.object({}), execute: noop }),
      ).toThrow(InvalidToolDefinitionError);
    },
  );

  it.each(["a", "get_weather", "Search-Web2", `a${"b".repeat(63)}`])(
    "accepts the portable name %j",
    (name) => {
      expect(defineTool({ name, description: "", input: z.object({}), execute: noop }).name).toBe(
        name,
      );
    },
  );

  it("rejects a bad timeout, a missing execute and an input that is no schema", () => {
    const base = { name: "a", description: "", input: z.object({}), execute: noop };
    for (const timeoutMs of [0, -1, Number.NaN]) {
      expect(() => defineTool({ ...base, timeoutMs })).toThrow(
        /timeoutMs must be a positive number/,
      );
    }
    expect(() => defineTool({ ...base, execute: undefined as never })).toThrow(
      /execute must be a function/,
    );
    expect(() => defineTool({ ...base, input: {} as never })).toThrow(
      "input must be a Standard Schema (zod 4, valibot, arktype, ...) or { jsonSchema }.",
    );
  });

  it("says clearly when the schema is not an object or has no JSON Schema form", () => {
    const scalar = defineTool({ name: "a", description: "", input: z.string(), execute: noop });
    expect(() => scalar.inputSchema).toThrow(
      'the input schema must describe an object (type: "object"), because vendors send arguments as an object; got type "string".',
    );
    const opaque = defineTool({
      name: "b",
      description: "",
      input: {
        "~standard": { version: 1, vendor: "acme", validate: (value: unknown) => ({ value }) },
      },
      execute: noop,
    });
    expect(() => opaque.inputSchema).toThrow(
      "the acme schema does not provide Standard JSON Schema, so its JSON Schema cannot be derived. Upgrade the library (zod >= 4.2) or pass the JSON Schema as `jsonSchema` in the definition.",
    );
    const unrepresentable = defineTool({
      name: "c",
      description: "",
      input: z.object({ n: z.bigint() }),
      execute: noop,
    });
    expect(() => unrepresentable.inputSchema).toThrow(InvalidToolDefinitionError);
  });

  it("is frozen and exposes parallel, lock and timeoutMs", () => {
    const lock = (input: { id: string }) => input.id;
    const tool = defineTool({
      name: "a",
      description: "",
      input: z.object({ id: z.string() }),
      execute: noop,
      parallel: false,
      lock,
      timeoutMs: 50,
    });
    expect(Object.isFrozen(tool)).toBe(true);
    expect(tool.parallel).toBe(false);
    expect(tool.lock).toBe(lock);
    expect(tool.timeoutMs).toBe(50);
    expect(
      defineTool({ name: "b", description: "", input: z.object({}), execute: noop }).parallel,
    ).toBe(true);
  });
});

describe("createToolSet", () => {
  const make = (name: string) =>
    defineTool({ name, description: "", input: z.object({}), execute: noop });

  it("throws a typed error for two tools of one name", () => {
    let caught: unknown;
    try {
      createToolSet([make("a"), make("b"), make("a")]);
    } catch (error) {
      caught = error;
    }
    expect(DuplicateToolError.isInstance(caught)).toBe(true);
    expect(ToolbatchError.isInstance(caught)).toBe(true);
    expect((caught as DuplicateToolError).toolName).toBe("a");
    expect((caught as Error).message).toBe(
      '[toolbatch/core] Two tools are named "a". Tool names must be unique within a tool set, because the model calls tools by name.',
    );
  });

  it("matches only own registered names", () => {
    const set = createToolSet([make("a"), make("toString2")]);
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(set.get(name)).toBeUndefined();
    }
    expect(set.get("a")?.name).toBe("a");
    expect(set.names).toStrictEqual(["a", "toString2"]);
  });
});

describe("typed errors", () => {
  it("are recognised by marker across copies of the class", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("toolbatch.error.duplicate-tool")]: true,
    });
    expect(DuplicateToolError.isInstance(foreign)).toBe(true);
    expect(DuplicateToolError.isInstance(new Error("x"))).toBe(false);
    expect(DuplicateToolError.isInstance(null)).toBe(false);
    expect(InvalidToolDefinitionError.isInstance(new DuplicateToolError("a"))).toBe(false);
  });
});

describe("createToolSet reuse", () => {
  const make = (name: string) =>
    defineTool({ name, description: "", input: z.object({}), execute: noop });

  it("reuses the index of an unchanged array and notices one changed in place", () => {
    const list = [make("a"), make("b")];
    const first = createToolSet(list);
    expect(createToolSet(list)).toBe(first);
    list.push(make("c"));
    expect(createToolSet(list).names).toStrictEqual(["a", "b", "c"]);
    list[0] = make("c");
    expect(() => createToolSet(list)).toThrow(DuplicateToolError);
  });
});
