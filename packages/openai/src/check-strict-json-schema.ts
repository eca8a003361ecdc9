import type { JsonSchema } from "@toolbatch/core";

/** One rule of OpenAI's strict mode that a tool's JSON Schema breaks. */
export interface StrictSchemaProblem {
  /** The tool whose schema breaks the rule. */
  readonly toolName: string;
  /** Where in the schema, as a JSON pointer (`""` is the root, `/properties/when/anyOf/1` a branch). */
  readonly pointer: string;
  /** Which rule: `optional` and `default` the opt-in conversion fixes, the others it does not. */
  readonly kind: StrictSchemaProblemKind;
  /** What is wrong, in a sentence. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

/** The strict-mode rules a schema can break. */
export type StrictSchemaProblemKind =
  | "root"
  | "optional"
  | "default"
  | "additional-properties"
  | "keyword"
  | "type"
  | "limit";

// Keywords strict mode rejects (guides/structured-outputs, "Supported schemas"): the composition
// keywords, and the object and array keywords it lists as not supported. `oneOf` is not among the
// supported ones (anyOf is); `default` has a message of its own.
const UNSUPPORTED = [
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
  "patternProperties",
  "unevaluatedProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "uniqueItems",
];
const TYPES = ["string", "number", "boolean", "integer", "object", "array", "null"];
// Keywords whose value is a map of names to schemas, and keywords whose value is a schema or a list of them.
const SCHEMA_MAPS = ["properties", "$defs", "definitions"];
const SCHEMA_VALUES = ["items", "prefixItems", "anyOf", "oneOf", "additionalProperties"];

/** Strict mode's size limits (guides/structured-outputs, "Objects have limitations on nesting depth and size"). */
export const STRICT_LIMITS = {
  /** Object properties in the whole schema. */
  properties: 5000,
  /** Levels of object nesting; the 2025 guide said 5, later copies say 10. */
  depth: 10,
  /** Characters across property names, definition names, enum values and const values. */
  characters: 120_000,
  /** Enum values in the whole schema. */
  enumValues: 1000,
  /** Characters of one string enum that has more than 250 values. */
  largeEnumCharacters: 15_000,
} as const;

const OPTIONAL_FIX =
  "make each one required and nullable (zod: .nullable() instead of .optional()), or wrap the tool in openaiStrictTool() to convert it.";

interface Totals {
  properties: number;
  characters: number;
  enumValues: number;
  tooDeep: string | undefined;
}

/**
 * Every rule of OpenAI's strict mode the schema breaks, all at once, each with its JSON pointer
 * and its fix. An object without `additionalProperties` is not a problem: it is sent with
 * `additionalProperties: false`. An empty list means the schema can be sent with `strict: true`.
 */
export function checkStrictJsonSchema(toolName: string, schema: JsonSchema): StrictSchemaProblem[] {
  const problems: StrictSchemaProblem[] = [];
  const add = (pointer: string, kind: StrictSchemaProblemKind, problem: string, fix: string) =>
    problems.push({ toolName, pointer, kind, problem, fix });
  if (schema.type !== "object" || "anyOf" in schema) {
    add(
      "",
      "root",
      'the root must be a plain object schema (type: "object", no anyOf).',
      "wrap the alternatives in an object property.",
    );
  }
  const totals: Totals = { properties: 0, characters: 0, enumValues: 0, tooDeep: undefined };
  checkNode(schema, "", 0, add, totals);
  const limit = (count: number, max: number, what: string) => {
    if (count > max)
      add(
        "",
        "limit",
        `the schema has ${count} ${what}; strict mode allows ${max}.`,
        "split the tool, or send it with strict: false.",
      );
  };
  limit(totals.properties, STRICT_LIMITS.properties, "object properties");
  limit(totals.characters, STRICT_LIMITS.characters, "characters in names, enum and const values");
  limit(totals.enumValues, STRICT_LIMITS.enumValues, "enum values");
  if (totals.tooDeep !== undefined) {
    add(
      totals.tooDeep,
      "limit",
      `objects are nested more than ${STRICT_LIMITS.depth} levels deep.`,
      "flatten the schema, or send it with strict: false.",
    );
  }
  return problems;
}

type Add = (pointer: string, kind: StrictSchemaProblemKind, problem: string, fix: string) => void;

function checkNode(node: unknown, pointer: string, depth: number, add: Add, totals: Totals): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) checkNode(item, `${pointer}/${i}`, depth, add, totals);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const keyword of UNSUPPORTED) {
    if (keyword in schema) {
      add(
        pointer,
        "keyword",
        `"${keyword}" is not supported.`,
        `remove "${keyword}", or send the tool with strict: false.`,
      );
    }
  }
  if ("oneOf" in schema)
    add(pointer, "keyword", '"oneOf" is not supported.', 'use "anyOf" (zod: z.union).');
  if ("default" in schema) {
    add(
      pointer,
      "default",
      "strict mode has no defaults: the model sends every property.",
      "drop the default, or make the property required and nullable and apply the default in the tool; openaiStrictTool() does this.",
    );
  }
  const types =
    typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  for (const type of types) {
    if (!TYPES.includes(type as string))
      add(
        pointer,
        "type",
        `the type ${JSON.stringify(type)} is not supported.`,
        `use one of ${TYPES.join(", ")}.`,
      );
  }
  countValues(schema, totals);
  const largeEnum = Array.isArray(schema.enum) && schema.enum.length > 250 ? schema.enum : [];
  const enumCharacters = largeEnum.reduce<number>(
    (sum, v) => sum + (typeof v === "string" ? v.length : 0),
    0,
  );
  if (enumCharacters > STRICT_LIMITS.largeEnumCharacters) {
    add(
      pointer,
      "limit",
      `a string enum of ${largeEnum.length} values has ${enumCharacters} characters; strict mode allows ${STRICT_LIMITS.largeEnumCharacters} when it has more than 250 values.`,
      "shorten the values, or send the tool with strict: false.",
    );
  }
  const isObject = types.includes("object");
  const inner = isObject ? depth + 1 : depth;
  if (inner > STRICT_LIMITS.depth && totals.tooDeep === undefined) totals.tooDeep = pointer;
  if (isObject) checkObject(schema, pointer, add, totals);
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && typeof value === "object" && value !== null) {
      for (const [name, child] of Object.entries(value)) {
        if (key !== "properties") totals.characters += name.length;
        checkNode(child, `${pointer}/${key}/${escapePointer(name)}`, inner, add, totals);
      }
    } else if (SCHEMA_VALUES.includes(key)) {
      checkNode(value, `${pointer}/${key}`, inner, add, totals);
    }
  }
}

function checkObject(
  schema: Record<string, unknown>,
  pointer: string,
  add: Add,
  totals: Totals,
): void {
  const properties = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  totals.properties += properties.length;
  for (const name of properties) totals.characters += name.length;
  const required = new Set((schema.required as readonly string[] | undefined) ?? []);
  const optional = properties.filter((name) => !required.has(name));
  if (optional.length > 0) {
    add(
      pointer,
      "optional",
      `the properties ${optional.map((n) => `"${n}"`).join(", ")} are optional, but strict mode requires every property.`,
      OPTIONAL_FIX,
    );
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    add(
      pointer,
      "additional-properties",
      "additionalProperties must be false: strict mode allows no keys beyond properties (a record or map type cannot be strict).",
      "declare the keys as properties, or send the tool with strict: false.",
    );
  }
}

function countValues(schema: Record<string, unknown>, totals: Totals): void {
  const values = [
    ...(Array.isArray(schema.enum) ? schema.enum : []),
    ...("const" in schema ? [schema.const] : []),
  ];
  if (Array.isArray(schema.enum)) totals.enumValues += schema.enum.length;
  for (const value of values)
    totals.characters += typeof value === "string" ? value.length : String(value).length;
}

/** A property name as a JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}
