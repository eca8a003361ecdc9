import type { FunctionDeclarationSchema, Schema, SchemaType } from "@google/generative-ai";
import { isJsonObject, type JsonSchema } from "@toolbatch/core";

/** Something a tool's JSON Schema said that its legacy declaration cannot say. */
export interface DeclarationWarning {
  /**
   * `schema-keyword-dropped`: a keyword the OpenAPI subset has no room for was left out;
   * `schema-union-narrowed`: an `anyOf`/`oneOf`/`allOf` or a type list was cut to its first branch;
   * `schema-property-dropped`: a value with no expressible type (`{}`, a recursive `$ref`) was left out.
   */
  readonly code: "schema-keyword-dropped" | "schema-union-narrowed" | "schema-property-dropped";
  /** What was lost, for a person reading logs. */
  readonly message: string;
  /** The tool whose schema it is. */
  readonly toolName: string;
  /** Where in the tool's JSON Schema, as a JSON pointer (`""` for the root). */
  readonly pointer: string;
}

type JsonType = "string" | "number" | "integer" | "boolean" | "array" | "object";

// Kept whatever the type: "type", "description" and "nullable" (every type of the legacy SDK's
// `Schema` union has them), and the keywords about the document rather than the value (`$defs`
// are read through `$ref`).
const ALWAYS_KEPT = new Set([
  "type",
  "description",
  "nullable",
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "definitions",
  "$ref",
]);
// What each type of the `Schema` union carries besides (types/function-calling.ts, 0.24.1).
const KEPT: Record<JsonType, readonly string[]> = {
  string: ["enum", "const", "format"],
  number: ["format"],
  integer: ["format"],
  boolean: [],
  array: ["items", "minItems", "maxItems"],
  object: ["properties", "required"],
};
const FORMATS: Partial<Record<JsonType, readonly string[]>> = {
  string: ["date-time"],
  number: ["float", "double"],
  integer: ["int32", "int64"],
};
const UNIONS = ["anyOf", "oneOf", "allOf"] as const;

/**
 * Converts a tool's JSON Schema to the legacy `@google/generative-ai` declaration schema, an
 * OpenAPI 3.0 subset: `type` (the SDK's `SchemaType` values, which are JSON Schema's own lowercase
 * names), `description`, `nullable`, string `enum` (with `format: "enum"`), `format`, `items`,
 * `minItems`/`maxItems`, `properties`, `required`.
 * - `type: [T, "null"]` and `anyOf: [T, { type: "null" }]` (zod's `.nullable()`) become `nullable`;
 * - a string `const` becomes a one-value enum; unions of string enums become one enum;
 * - local `$ref`s are inlined; a recursive one cannot be, and is dropped;
 * - every other keyword is dropped, each with a warning, so a lost constraint is never silent
 *   (zod's safe-integer bounds on `int()` excepted: they say nothing an integer does not).
 * Returns `undefined` for a root without properties: Gemini wants `parameters` left out then
 * (an OBJECT "should be non-empty").
 */
export function convertJsonSchemaToOpenApi(
  schema: JsonSchema,
  toolName: string,
  warn: (warning: DeclarationWarning) => void,
): FunctionDeclarationSchema | undefined {
  const report = (code: DeclarationWarning["code"], pointer: string, what: string) =>
    warn({
      code,
      toolName,
      pointer,
      message: `[toolbatch/google] Tool "${toolName}", ${pointer || "the root"}: ${what}`,
    });
  const root = convertNode(schema, "", new Set(), { schema, report });
  // `properties` is only ever set non-empty (see copyProperties).
  return root && "properties" in root ? (root as FunctionDeclarationSchema) : undefined;
}

interface Context {
  readonly schema: JsonSchema;
  readonly report: (code: DeclarationWarning["code"], pointer: string, what: string) => void;
}

/**
 * Converts the schema at `pointer`; `refs` are the `$ref`s inlined on the way to it, so meeting
 * one again is recursion. `undefined` (with a warning) when the node has no declarable type.
 */
function convertNode(
  node: unknown,
  pointer: string,
  refs: ReadonlySet<string>,
  context: Context,
): Schema | undefined {
  const dropped = (why: string) => {
    context.report("schema-property-dropped", pointer, `left out: ${why}.`);
    return undefined;
  };
  if (!isJsonObject(node)) return dropped("a boolean schema has no OpenAPI equivalent");
  const source: JsonSchema = node;
  if (typeof source.$ref === "string") {
    const target = resolveRef(context.schema, source.$ref);
    if (!target || refs.has(source.$ref)) {
      return dropped(`$ref "${source.$ref}" is ${target ? "recursive" : "not a local definition"}`);
    }
    const { $ref: _ref, ...rest } = source;
    return convertNode({ ...target, ...rest }, pointer, new Set([...refs, source.$ref]), context);
  }
  const union = UNIONS.find((keyword) => Array.isArray(source[keyword]));
  if (union)
    return convertNode(narrowUnion(source, union, pointer, context), pointer, refs, context);

  const type = readType(source, pointer, context);
  if (!type) return dropped("it has no type OpenAPI can declare (any value, or only null)");
  const out: Record<string, unknown> = { type: type as SchemaType };
  if (typeof source.description === "string") out.description = source.description;
  if ([source.type].flat().includes("null") || source.nullable === true) out.nullable = true;
  copyFormat(source, type, out, pointer, context);
  if (type === "string") copyEnum(source, out, pointer, context);
  if (type === "array") {
    const items = Array.isArray(source.items) ? source.items[0] : source.items;
    const converted = convertNode(items, `${pointer}/items`, refs, context);
    if (!converted) return dropped("its items have no declarable type");
    out.items = converted;
    for (const bound of ["minItems", "maxItems"]) {
      if (typeof source[bound] === "number") out[bound] = source[bound];
    }
  }
  if (type === "object") copyProperties(source, out, pointer, refs, context);
  for (const keyword of Object.keys(source)) {
    if (
      ALWAYS_KEPT.has(keyword) ||
      KEPT[type].includes(keyword) ||
      isSafeIntegerBound(source, keyword)
    )
      continue;
    context.report(
      "schema-keyword-dropped",
      pointer,
      `"${keyword}" was dropped: the legacy SDK's schema has no such keyword, so the model will not see that constraint.`,
    );
  }
  return out as unknown as Schema;
}

/** Cuts an `anyOf`/`oneOf`/`allOf` to one schema: null branches become `nullable`. */
function narrowUnion(
  source: JsonSchema,
  union: (typeof UNIONS)[number],
  pointer: string,
  context: Context,
): JsonSchema {
  const { [union]: branchList, ...outer } = source;
  const branches = (branchList as unknown[]).filter(
    (branch): branch is JsonSchema => typeof branch === "object" && branch !== null,
  );
  const nonNull = branches.filter((branch) => branch.type !== "null");
  const nullable = nonNull.length < branches.length ? { nullable: true } : {};
  const values = nonNull.map(stringValues);
  if (nonNull.length > 1 && union !== "allOf" && values.every((list) => list !== undefined)) {
    return { ...outer, ...nullable, type: "string", enum: values.flat() };
  }
  if (nonNull.length > 1) {
    context.report(
      "schema-union-narrowed",
      pointer,
      `${union} with ${nonNull.length} branches was cut to its first branch: the legacy SDK's schema has no unions.`,
    );
  }
  return { ...(nonNull[0] ?? { type: "null" }), ...outer, ...nullable };
}

/** The one OpenAPI type of a schema: its first declarable `type`, else what its keywords imply. */
function readType(source: JsonSchema, pointer: string, context: Context): JsonType | undefined {
  const listed = source.type === undefined ? [] : [source.type].flat();
  const types = listed.filter((entry): entry is JsonType => Object.hasOwn(KEPT, entry));
  if (types.length > 1) {
    context.report(
      "schema-union-narrowed",
      pointer,
      `type ${JSON.stringify(source.type)} was cut to "${types[0]}": OpenAPI 3.0 allows one type.`,
    );
  }
  if (listed.length > 0) return types[0];
  if (source.properties) return "object";
  if (source.items) return "array";
  return stringValues(source) ? "string" : undefined;
}

/** The values of a string-only `enum` or `const`, or `undefined` when it is not one. */
function stringValues(schema: JsonSchema): string[] | undefined {
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : [];
  return values.length > 0 && values.every((value) => typeof value === "string")
    ? (values as string[])
    : undefined;
}

function copyFormat(
  source: JsonSchema,
  type: JsonType,
  out: Record<string, unknown>,
  pointer: string,
  context: Context,
) {
  if (typeof source.format !== "string") return;
  if (FORMATS[type]?.includes(source.format)) {
    out.format = source.format;
    return;
  }
  context.report(
    "schema-keyword-dropped",
    pointer,
    `format "${source.format}" was dropped: the legacy SDK's ${type} schema does not take it.`,
  );
}

function copyEnum(
  source: JsonSchema,
  out: Record<string, unknown>,
  pointer: string,
  context: Context,
) {
  if (!("enum" in source) && !("const" in source)) return;
  const values = stringValues(source);
  if (values) {
    out.format = "enum";
    out.enum = values;
    return;
  }
  context.report(
    "schema-keyword-dropped",
    pointer,
    `"enum" was dropped: the legacy SDK's schema takes string enums only.`,
  );
}

function copyProperties(
  source: JsonSchema,
  out: Record<string, unknown>,
  pointer: string,
  refs: ReadonlySet<string>,
  context: Context,
) {
  const kept: Array<[string, Schema]> = [];
  for (const [name, child] of Object.entries(source.properties ?? {})) {
    const where = `${pointer}/properties/${escapePointer(name)}`;
    const converted = convertNode(child, where, refs, context);
    if (converted) kept.push([name, converted]);
  }
  // fromEntries defines each property: assigned, a property named "__proto__" would vanish.
  const properties: Record<string, Schema> = Object.fromEntries(kept);
  // A nested object without declared properties stays a plain OBJECT (the SDK types insist on a
  // `properties` map, but an empty one is what Gemini calls invalid).
  if (Object.keys(properties).length > 0) out.properties = properties;
  const required = (source.required ?? []).filter((name) => Object.hasOwn(properties, name));
  if (required.length > 0) out.required = required;
}

// zod's int() adds ±(2^53 - 1) bounds to every integer: they say nothing to a model.
function isSafeIntegerBound(source: JsonSchema, keyword: string): boolean {
  return (
    source.type === "integer" &&
    ((keyword === "minimum" && source.minimum === Number.MIN_SAFE_INTEGER) ||
      (keyword === "maximum" && source.maximum === Number.MAX_SAFE_INTEGER))
  );
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const definitions = root[match[1] as string] as Record<string, JsonSchema> | undefined;
  const name = (match[2] as string).replace(/~1/g, "/").replace(/~0/g, "~");
  return definitions && Object.hasOwn(definitions, name) ? definitions[name] : undefined;
}

function escapePointer(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}
