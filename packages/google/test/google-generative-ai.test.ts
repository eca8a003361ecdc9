import type { GenerateContentResponse } from "@google/generative-ai";
import { geminiLegacyWire } from "@toolbatch/contract";
import {
  type AnyTool,
  defineTool,
  executeBatch,
  type JsonSchema,
  jsonSchema,
} from "@toolbatch/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type DeclarationWarning, googleGenerativeAI } from "../src/index.js";
import { call, recording, response, responsesOf, sum } from "./support.js";

const legacy = (value: unknown) => value as GenerateContentResponse;

/** The declarations of one tool with this input schema, and the warnings they raised. */
function declare(input: JsonSchema | z.ZodType, name = "t") {
  const warnings: DeclarationWarning[] = [];
  const tool = defineTool({
    name,
    description: "d",
    input: input instanceof z.ZodType ? input : jsonSchema(input),
    execute: () => null,
  }) as AnyTool;
  const [declarations] = googleGenerativeAI({ onWarning: (w) => warnings.push(w) }).tools([tool]);
  return { declaration: declarations?.functionDeclarations?.[0], warnings };
}

describe("googleGenerativeAI follow-up", () => {
  it("answers in ONE content of role function, the legacy SDK's role for functionResponse", async () => {
    const adapter = googleGenerativeAI();
    const batch = adapter.toBatch(legacy(recording("gm10").response));
    expect(batch.provider).toBe("google-generative-ai");
    const followUp = adapter.toFollowUp(batch, await executeBatch(batch, [sum]));
    expect(followUp.map((content) => content.role)).toStrictEqual(["model", "function"]);
    expect(responsesOf(followUp as never)).toStrictEqual([
      { name: "sum", response: { output: 3 } },
      { name: "sum", response: { output: 7 } },
      { name: "sum", response: { output: 11 } },
    ]);
    const request = geminiLegacyWire.withHistory(
      { contents: [{ role: "user", parts: [{ text: "hi" }] }] },
      [{ role: "user", parts: [{ text: "hi" }] }, ...followUp],
    );
    expect(geminiLegacyWire.validateRequest(request)).toStrictEqual([]);
  });

  it("echoes thoughtSignatures the legacy types do not know of, on their parts", () => {
    const adapter = googleGenerativeAI();
    const parts = [call("a", {}, { thoughtSignature: "c2ln" }), call("b", {})];
    const batch = adapter.toBatch(legacy(response(parts)));
    expect(batch.turn).toStrictEqual({ role: "model", parts });
  });

  it("says what went wrong when given the SDK's result instead of its response", () => {
    const adapter = googleGenerativeAI();
    const result = { response: response([call("a", {})]) };
    const batch = adapter.toBatch(legacy(result));
    expect(batch).toMatchObject({ calls: [], complete: false });
    expect(batch.warnings?.map((w) => w.code)).toStrictEqual(["no-candidates"]);
  });

  it("has no parallel switch either", () => {
    const adapter = googleGenerativeAI();
    expect(adapter.capabilities.parallelToggle).toBe("client-only");
    expect(adapter.requestOptions({ parallel: false })).toStrictEqual({});
  });
});

describe("googleGenerativeAI tools: JSON Schema to the legacy OpenAPI subset", () => {
  it("declares types with the SDK's SchemaType values, enums, nullables and required", () => {
    const { declaration, warnings } = declare(
      z.object({
        city: z.string().describe("City name"),
        unit: z.enum(["c", "f"]).optional(),
        days: z.number().int(),
        when: z.iso.datetime().nullable(),
        tags: z.array(z.string()).min(1),
        flags: z.object({ exact: z.boolean() }),
      }),
    );
    expect(declaration).toStrictEqual({
      name: "t",
      description: "d",
      parameters: {
        type: "object",
        properties: {
          city: { type: "string", description: "City name" },
          unit: { type: "string", format: "enum", enum: ["c", "f"] },
          days: { type: "integer" },
          when: { type: "string", nullable: true, format: "date-time" },
          tags: { type: "array", items: { type: "string" }, minItems: 1 },
          flags: {
            type: "object",
            properties: { exact: { type: "boolean" } },
            required: ["exact"],
          },
        },
        required: ["city", "days", "when", "tags", "flags"],
      },
    });
    // zod's date-time pattern cannot be declared; its int() bounds are left out silently.
    expect(warnings.map((w) => [w.code, w.pointer])).toStrictEqual([
      ["schema-keyword-dropped", "/properties/when"],
    ]);
  });

  it("drops what the subset cannot say, one warning each, naming tool and place", () => {
    const { declaration, warnings } = declare(
      {
        type: "object",
        properties: {
          code: { type: "string", pattern: "^[A-Z]{3}$", minLength: 3, format: "email" },
          count: { type: "integer", minimum: 1, default: 2 },
          level: { type: "number", enum: [1, 2] },
          extra: { type: "object", additionalProperties: { type: "string" } },
        },
        additionalProperties: false,
      },
      "lookup",
    );
    expect(declaration?.parameters?.properties).toStrictEqual({
      code: { type: "string" },
      count: { type: "integer" },
      level: { type: "number" },
      extra: { type: "object" },
    });
    expect(warnings.map((w) => `${w.toolName} ${w.pointer} ${w.code}`)).toStrictEqual([
      "lookup /properties/code schema-keyword-dropped",
      "lookup /properties/code schema-keyword-dropped",
      "lookup /properties/code schema-keyword-dropped",
      "lookup /properties/count schema-keyword-dropped",
      "lookup /properties/count schema-keyword-dropped",
      "lookup /properties/level schema-keyword-dropped",
      "lookup /properties/extra schema-keyword-dropped",
      "lookup  schema-keyword-dropped",
    ]);
    expect(warnings[0]?.message).toMatch(
      /^\[toolbatch\/google\] Tool "lookup", \/properties\/code: /,
    );
  });

  it("narrows unions to one branch, and merges unions of strings into one enum", () => {
    const { declaration, warnings } = declare({
      type: "object",
      properties: {
        either: { anyOf: [{ type: "string" }, { type: "number" }], description: "d" },
        choice: { oneOf: [{ const: "a" }, { enum: ["b", "c"] }, { type: "null" }] },
        types: { type: ["integer", "string"] },
      },
    });
    expect(declaration?.parameters?.properties).toStrictEqual({
      either: { type: "string", description: "d" },
      choice: { type: "string", nullable: true, format: "enum", enum: ["a", "b", "c"] },
      types: { type: "integer" },
    });
    expect(warnings.map((w) => [w.code, w.pointer])).toStrictEqual([
      ["schema-union-narrowed", "/properties/either"],
      ["schema-union-narrowed", "/properties/types"],
    ]);
  });

  it("inlines local $refs and drops recursive ones and values without a type", () => {
    const { declaration, warnings } = declare({
      type: "object",
      properties: {
        home: { $ref: "#/$defs/place" },
        tree: { $ref: "#/$defs/node" },
        anything: {},
      },
      required: ["home", "tree", "anything"],
      $defs: {
        place: { type: "object", properties: { city: { type: "string" } } },
        node: { type: "object", properties: { child: { $ref: "#/$defs/node" } } },
      },
    });
    expect(declaration?.parameters).toStrictEqual({
      type: "object",
      properties: {
        home: { type: "object", properties: { city: { type: "string" } } },
        tree: { type: "object" },
      },
      required: ["home", "tree"],
    });
    expect(warnings.map((w) => [w.code, w.pointer])).toStrictEqual([
      ["schema-property-dropped", "/properties/tree/properties/child"],
      ["schema-property-dropped", "/properties/anything"],
    ]);
  });

  it("leaves parameters out for a tool without any (Gemini wants no empty OBJECT)", () => {
    const { declaration } = declare({
      type: "object",
      properties: {},
      additionalProperties: false,
    });
    expect(declaration).toStrictEqual({ name: "t", description: "d" });
    expect(googleGenerativeAI().tools([])).toStrictEqual([]);
  });

  it("keeps a property named __proto__ (an own property, sent like any other)", () => {
    const { declaration, warnings } = declare(
      JSON.parse(
        '{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"number"}},"required":["__proto__"]}',
      ),
    );
    const sent = JSON.parse(JSON.stringify(declaration?.parameters));
    expect(Object.keys(sent.properties)).toStrictEqual(["__proto__", "b"]);
    expect(Object.hasOwn(sent.properties, "__proto__")).toBe(true);
    expect(sent.required).toStrictEqual(["__proto__"]);
    expect(warnings).toStrictEqual([]);
  });

  it("writes each distinct warning once with console.warn unless onWarning is given", () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    const tool = defineTool({
      name: "t",
      description: "",
      input: jsonSchema({ type: "object", properties: { a: { type: "string", maxLength: 2 } } }),
      execute: () => null,
    });
    const adapter = googleGenerativeAI();
    adapter.tools([tool]);
    adapter.tools([tool]);
    expect(spy.mock.calls).toStrictEqual([
      [
        expect.stringMatching(
          /^\[toolbatch\/google\] Tool "t", \/properties\/a: "maxLength" was dropped/,
        ),
      ],
    ]);
  });

  it("converts any JSON Schema without throwing, keeps only what the subset names, and validates (property)", () => {
    const leaf = fc.oneof(
      fc.record(
        { type: fc.constantFrom("string", "number", "integer", "boolean") },
        { requiredKeys: [] },
      ),
      fc.record({
        enum: fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        type: fc.constant("string"),
        pattern: fc.constant("x"),
        description: fc.string(),
      }),
      fc.constant({ type: ["string", "null"] }),
    );
    const schema = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.record({ type: fc.constant("array"), items: tie("node") }),
        fc.record({
          type: fc.constant("object"),
          properties: fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), tie("node"), { maxKeys: 3 }),
        }),
        fc.record({ anyOf: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
      ),
    })).node;
    const allowed = new Set([
      "type",
      "description",
      "nullable",
      "format",
      "enum",
      "items",
      "minItems",
      "maxItems",
      "properties",
      "required",
    ]);
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), schema, { maxKeys: 4 }),
        (properties) => {
          const { declaration } = declare({ type: "object", properties } as JsonSchema);
          const visit = (node: unknown): void => {
            if (typeof node !== "object" || node === null) return;
            for (const [key, value] of Object.entries(node)) {
              expect(allowed).toContain(key);
              if (key === "properties") Object.values(value as object).forEach(visit);
              if (key === "items") visit(value);
            }
          };
          visit(declaration?.parameters);
          const request = geminiLegacyWire.withTools({ contents: [] }, [
            { functionDeclarations: declaration ? [declaration] : [] },
          ]);
          expect(geminiLegacyWire.validateRequest(request)).toStrictEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
