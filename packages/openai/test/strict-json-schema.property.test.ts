import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkStrictJsonSchema } from "../src/check-strict-json-schema.js";
import { convertToStrictJsonSchema } from "../src/convert-to-strict-json-schema.js";

// A random schema tree, built together with the strict-mode rules it breaks (kind at pointer):
// the oracle the checker is held to. Small trees, so no size limit is reached.
interface Built {
  schema: Record<string, unknown>;
  problems: string[];
}
type Spec =
  | { leaf: "string" | "number" | "integer" | "boolean" | "null" | "enum" }
  | { array: Spec }
  | { anyOf: Spec[] }
  | {
      object: { name: string; spec: Spec; required: boolean }[];
      additional: "absent" | "false" | "true";
    };
type Extra = "allOf" | "not" | "oneOf" | "default" | "uniqueItems";

const extras = fc.subarray<Extra>(["allOf", "not", "oneOf", "default", "uniqueItems"], {
  maxLength: 2,
});
const { node: specWithExtras } = fc.letrec<{ node: Spec & { extras?: Extra[] } }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      leaf: fc.constantFrom("string", "number", "integer", "boolean", "null", "enum"),
      extras,
    }),
    fc.record({ array: tie("node"), extras }),
    fc.record({ anyOf: fc.array(tie("node"), { minLength: 1, maxLength: 3 }), extras }),
    fc.record({
      object: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom("a", "b", "c/d", "e~f"),
          spec: tie("node"),
          required: fc.boolean(),
        }),
        {
          selector: (p) => p.name,
          maxLength: 3,
        },
      ),
      additional: fc.constantFrom("absent", "false", "true"),
      extras,
    }),
  ),
}));

const escapeName = (name: string) => name.replaceAll("~", "~0").replaceAll("/", "~1");

function build(node: Spec & { extras?: Extra[] }, pointer: string): Built {
  const problems: string[] = [];
  let schema: Record<string, unknown>;
  if ("leaf" in node) {
    schema = node.leaf === "enum" ? { type: "string", enum: ["x", "y"] } : { type: node.leaf };
  } else if ("array" in node) {
    const items = build(node.array, `${pointer}/items`);
    problems.push(...items.problems);
    schema = { type: "array", items: items.schema };
  } else if ("anyOf" in node) {
    const branches = node.anyOf.map((b, i) => build(b, `${pointer}/anyOf/${i}`));
    for (const b of branches) problems.push(...b.problems);
    schema = { anyOf: branches.map((b) => b.schema) };
  } else {
    const properties: Record<string, unknown> = {};
    for (const p of node.object) {
      const child = build(p.spec, `${pointer}/properties/${escapeName(p.name)}`);
      problems.push(...child.problems);
      properties[p.name] = child.schema;
    }
    schema = {
      type: "object",
      properties,
      required: node.object.filter((p) => p.required).map((p) => p.name),
    };
    if (node.object.some((p) => !p.required)) problems.push(`optional@${pointer}`);
    if (node.additional === "false") schema.additionalProperties = false;
    if (node.additional === "true") {
      schema.additionalProperties = true;
      problems.push(`additional-properties@${pointer}`);
    }
  }
  for (const extra of node.extras ?? []) {
    schema[extra] = {
      allOf: [{ type: "string" }],
      not: { type: "null" },
      oneOf: [{ type: "string" }],
      default: 1,
      uniqueItems: true,
    }[extra];
    problems.push(`${extra === "default" ? "default" : "keyword"}@${pointer}`);
  }
  return { schema, problems };
}

const rootSpec = fc.record({
  object: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("a", "b", "c/d", "e~f", "g"),
      spec: specWithExtras,
      required: fc.boolean(),
    }),
    {
      selector: (p) => p.name,
      maxLength: 4,
    },
  ),
  additional: fc.constantFrom<"absent" | "false" | "true">("absent", "false", "true"),
});
const anyRoot = fc.oneof(rootSpec, specWithExtras);

const found = (schema: Record<string, unknown>) =>
  checkStrictJsonSchema("t", schema).map((p) => `${p.kind}@${p.pointer}`);
// Defaults on properties and optional properties are what the conversion fixes.
const convertible = (problem: string) =>
  problem.startsWith("optional@") || /^default@.*\/properties\/[^/]+$/.test(problem);

describe("strict-mode checker and conversion, over random schemas", () => {
  it("the checker reports exactly the rules each schema breaks", () => {
    fc.assert(
      fc.property(anyRoot, (node) => {
        const { schema, problems } = build(node, "");
        const expected = schema.type === "object" ? problems : ["root@", ...problems];
        expect(found(schema).sort()).toStrictEqual(expected.sort());
      }),
      { numRuns: 400 },
    );
  });

  it("a converted schema breaks only the rules the conversion cannot fix", () => {
    fc.assert(
      fc.property(rootSpec, (node) => {
        const { schema, problems } = build(node, "");
        const left = problems.filter((p) => !convertible(p)).map((p) => p.split("@")[0]);
        expect(
          found(convertToStrictJsonSchema(schema))
            .map((p) => p.split("@")[0])
            .sort(),
        ).toStrictEqual(left.sort());
      }),
      { numRuns: 400 },
    );
  });

  it("a schema of only convertible problems passes the checker once converted", () => {
    fc.assert(
      fc.property(rootSpec, (node) => {
        const { schema, problems } = build(node, "");
        fc.pre(problems.every(convertible));
        expect(found(convertToStrictJsonSchema(schema))).toStrictEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("converting twice is converting once", () => {
    fc.assert(
      fc.property(anyRoot, (node) => {
        const once = convertToStrictJsonSchema(build(node, "").schema);
        expect(convertToStrictJsonSchema(once)).toStrictEqual(once);
      }),
      { numRuns: 400 },
    );
  });
});
