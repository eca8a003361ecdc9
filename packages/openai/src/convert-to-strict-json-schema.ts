import type { JsonSchema } from "@toolbatch/core";

// Keywords whose value is a map of names to schemas, and keywords whose value is a schema or a list of them.
const SCHEMA_MAPS = ["properties", "$defs", "definitions"];
const SCHEMA_VALUES = ["items", "prefixItems", "anyOf", "oneOf", "additionalProperties"];

/**
 * What OpenAI's own helpers do to a schema before `strict: true`, as data: every object gets
 * `additionalProperties: false` where it had none, and every optional property (or one with a
 * `default`) becomes required and nullable — `type: [T, "null"]`, `null` added to an `enum`, or
 * `anyOf: [..., { type: "null" }]` — with its `default` dropped. What it cannot convert without
 * changing the tool's meaning (`allOf`, a record's `additionalProperties`, ...) is left for
 * {@link checkStrictJsonSchema} to report. Converting a converted schema changes nothing.
 */
export function convertToStrictJsonSchema(schema: JsonSchema): JsonSchema {
  return convertNode(schema) as JsonSchema;
}

/** Whether a property needs the conversion: optional, or carrying a `default` the model never sends. */
export function isConvertedProperty(
  object: Record<string, unknown>,
  name: string,
  property: unknown,
): boolean {
  const required = (object.required as readonly string[] | undefined) ?? [];
  return !required.includes(name) || hasDefault(property);
}

/** Whether a schema already accepts `null`: by its type, its enum, its const or one of its branches. */
export function acceptsNull(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return schema === true;
  const node = schema as Record<string, unknown>;
  if (node.type === "null" || (Array.isArray(node.type) && node.type.includes("null"))) {
    return !Array.isArray(node.enum) || node.enum.includes(null);
  }
  if (node.type === undefined && Array.isArray(node.enum)) return node.enum.includes(null);
  if ("const" in node) return node.const === null;
  return Array.isArray(node.anyOf) && node.anyOf.some(acceptsNull);
}

function hasDefault(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && "default" in schema;
}

function convertNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNode);
  if (typeof node !== "object" || node === null) return node;
  const schema = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          key === "properties" && isConvertedProperty(schema, name, child)
            ? toNullable(convertNode(child))
            : convertNode(child),
        ]),
      );
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = convertNode(value);
    } else {
      out[key] = value;
    }
  }
  const isObject =
    schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object"));
  if (isObject) {
    if (schema.properties !== undefined) {
      const required = (schema.required as readonly string[] | undefined) ?? [];
      const names = Object.keys(schema.properties as Record<string, unknown>);
      out.required = [...required, ...names.filter((name) => !required.includes(name))];
    }
    out.additionalProperties ??= false;
  }
  return out;
}

// The property's schema, nullable, without its default (null stands for "not given").
function toNullable(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  const { default: _default, ...schema } = node as Record<string, unknown>;
  if (acceptsNull(schema)) return schema;
  const enumValues =
    Array.isArray(schema.enum) && !schema.enum.includes(null)
      ? { enum: [...schema.enum, null] }
      : {};
  if (typeof schema.type === "string" || Array.isArray(schema.type)) {
    const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    return { ...schema, type: types.includes("null") ? types : [...types, "null"], ...enumValues };
  }
  if (
    Array.isArray(schema.anyOf) &&
    Object.keys(schema).every((k) => k === "anyOf" || k === "description" || k === "title")
  ) {
    return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
  }
  const { description, ...rest } = schema;
  return {
    anyOf: [rest, { type: "null" }],
    ...(description !== undefined ? { description } : {}),
  };
}
