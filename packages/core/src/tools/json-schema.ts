import type { StandardSchemaResult } from "./standard-schema.js";

/**
 * A JSON Schema object as vendors accept it for tool parameters. Only the common keywords are
 * named; any other keyword is allowed and passed through to the vendor unchanged.
 */
export interface JsonSchema {
  /** The JSON type(s): `object` at the root of a tool's input. */
  type?: string | readonly string[];
  /** Schemas of an object's properties. */
  properties?: Record<string, JsonSchema>;
  /** Property names that must be present. */
  required?: readonly string[];
  /** Whether properties beyond `properties` are allowed (OpenAI strict mode requires `false`). */
  additionalProperties?: boolean | JsonSchema;
  /** Schema of an array's items. */
  items?: JsonSchema | readonly JsonSchema[];
  /** Allowed values. */
  enum?: readonly unknown[];
  /** A description the model reads. */
  description?: string;
  /** Any other JSON Schema keyword. */
  [keyword: string]: unknown;
}

/**
 * A tool input given as plain JSON Schema instead of a schema library. `T` is the input type the
 * tool's `execute` receives; without `validate`, the arguments reach `execute` unchecked.
 */
export interface JsonSchemaInput<T = unknown> {
  /** The JSON Schema sent to the vendor; its root must be `type: "object"`. */
  readonly jsonSchema: JsonSchema;
  /** Optional validator run before `execute`, e.g. one compiled with ajv. */
  readonly validate?:
    | ((value: unknown) => StandardSchemaResult<T> | Promise<StandardSchemaResult<T>>)
    | undefined;
  /** Type-only marker carrying `T`; never present at runtime. */
  readonly "~input"?: T;
}

/**
 * Declares a tool input as JSON Schema with a static type for `execute`, optionally with a
 * validator. The type is a promise the caller makes: without `validate`, nothing checks it.
 *
 * @example
 * const input = jsonSchema<{ city: string }>({
 *   type: "object",
 *   properties: { city: { type: "string" } },
 *   required: ["city"],
 * });
 */
export function jsonSchema<T = unknown>(
  schema: JsonSchema,
  options: { validate?: JsonSchemaInput<T>["validate"] | undefined } = {},
): JsonSchemaInput<T> {
  return options.validate
    ? { jsonSchema: schema, validate: options.validate }
    : { jsonSchema: schema };
}
