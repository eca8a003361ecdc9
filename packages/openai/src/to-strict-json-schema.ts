import type { JsonSchema } from "@toolbatch/core";
import { StrictSchemaError } from "./errors/strict-schema-error.js";

// Keywords OpenAI's strict mode rejects (guides/structured-outputs, "Supported schemas").
const UNSUPPORTED = ["allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas"];

/**
 * Prepares a tool's JSON Schema for OpenAI's `strict: true`: every object gets
 * `additionalProperties: false`. What cannot be made strict without changing the tool's meaning
 * is refused with a {@link StrictSchemaError} instead of sent: an optional property (the model
 * would have to send every property; declare it `.nullable()` instead of `.optional()`), an
 * `anyOf` root, or an unsupported keyword.
 */
export function toStrictJsonSchema(toolName: string, schema: JsonSchema): JsonSchema {
  if (schema.anyOf !== undefined) {
    throw new StrictSchemaError(toolName, "", "the root is an anyOf, not an object.");
  }
  return strictNode(toolName, schema, "") as JsonSchema;
}

// Keywords whose value is a map of names to schemas, and keywords whose value is a schema (or a list of them).
const SCHEMA_MAPS = ["properties", "$defs", "definitions", "patternProperties"];
const SCHEMA_VALUES = [
  "items",
  "prefixItems",
  "anyOf",
  "oneOf",
  "additionalProperties",
  "contains",
];

function strictNode(toolName: string, node: unknown, pointer: string): unknown {
  if (Array.isArray(node))
    return node.map((item, i) => strictNode(toolName, item, `${pointer}/${i}`));
  if (typeof node !== "object" || node === null) return node;
  const schema = node as Record<string, unknown>;
  for (const keyword of UNSUPPORTED) {
    if (keyword in schema) {
      throw new StrictSchemaError(toolName, pointer, `"${keyword}" is not supported.`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          strictNode(toolName, child, `${pointer}/${key}/${name}`),
        ]),
      );
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = strictNode(toolName, value, `${pointer}/${key}`);
    } else {
      out[key] = value;
    }
  }
  const isObject =
    schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object"));
  if (isObject) {
    const properties = Object.keys(
      (schema.properties as Record<string, unknown> | undefined) ?? {},
    );
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const optional = properties.filter((name) => !required.has(name));
    if (optional.length > 0) {
      throw new StrictSchemaError(
        toolName,
        pointer,
        `the properties ${optional.map((n) => `"${n}"`).join(", ")} are optional, but strict mode requires every property; make them required and nullable (zod: .nullable() instead of .optional()).`,
      );
    }
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      throw new StrictSchemaError(toolName, pointer, "additionalProperties must be false.");
    }
    out.additionalProperties = false;
  }
  return out;
}
