import type { JsonSchema } from "@toolbatch/core";
import { acceptsNull, isConvertedProperty } from "./convert-to-strict-json-schema.js";

/**
 * Undoes the conversion on the model's arguments: a `null` the model sent for a property that
 * {@link convertToStrictJsonSchema} made required and nullable becomes an absent key, so the tool
 * receives what its own schema declares (`x?: string`, its default applied by its validator). A
 * `null` the original schema allowed stays. The schema is the tool's original one; the value is
 * not changed in place.
 */
export function stripConvertedNulls(schema: JsonSchema, value: unknown): unknown {
  return stripNode(schema, schema, value);
}

function stripNode(root: JsonSchema, node: unknown, value: unknown): unknown {
  if (typeof node !== "object" || node === null || typeof value !== "object" || value === null) {
    return value;
  }
  const schema = resolve(root, node as Record<string, unknown>);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (typeof items !== "object" || items === null || Array.isArray(items)) return value;
    return value.map((item) => stripNode(root, items, item));
  }
  const object = value as Record<string, unknown>;
  if (Array.isArray(schema.anyOf)) {
    // Strict mode makes every branch's properties required: the branch is the one whose keys the value has.
    const keys = Object.keys(object).sort().join("\n");
    const branch = schema.anyOf.find((candidate) => {
      const properties = resolve(root, candidate as Record<string, unknown>).properties;
      return (
        typeof properties === "object" &&
        properties !== null &&
        Object.keys(properties).sort().join("\n") === keys
      );
    });
    if (branch === undefined) return value;
    // Without its own anyOf: a branch that refers back to this node must not loop.
    const { anyOf: _anyOf, ...picked } = resolve(root, branch as Record<string, unknown>);
    return stripNode(root, picked, value);
  }
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(object)) {
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (property === undefined) {
      out[name] = item;
    } else if (item === null) {
      if (!isConvertedProperty(schema, name, property) || acceptsNull(withoutDefault(property))) {
        out[name] = item;
      }
    } else {
      out[name] = stripNode(root, property, item);
    }
  }
  return out;
}

// A local `$ref` ("#/$defs/name") resolved against the root; anything else as it is.
function resolve(root: JsonSchema, node: Record<string, unknown>): Record<string, unknown> {
  const ref = node.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return node;
  let target: unknown = root;
  for (const segment of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");
    target =
      typeof target === "object" && target !== null && Object.hasOwn(target, key)
        ? (target as Record<string, unknown>)[key]
        : undefined;
  }
  return typeof target === "object" && target !== null ? (target as Record<string, unknown>) : node;
}

function withoutDefault(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const { default: _default, ...rest } = schema as Record<string, unknown>;
  return rest;
}
