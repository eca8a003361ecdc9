/**
 * The Standard Schema and Standard JSON Schema interfaces (https://standardschema.dev), declared
 * here from their published specification so that core needs no runtime dependency. zod 4.2+,
 * valibot, arktype and others implement them; a schema is recognised by its `~standard` property.
 */

/** One problem a schema found in a value. */
export interface StandardSchemaIssue {
  /** What is wrong, in the schema library's words. */
  readonly message: string;
  /** Where in the value: property keys and array indices from the root. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The outcome of `~standard.validate`: the parsed value, or the issues found. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/** The properties every Standard Schema carries under `~standard`. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the Standard Schema specification; always 1. */
  readonly version: 1;
  /** The library behind the schema, e.g. `zod`. */
  readonly vendor: string;
  /** Validates (and may transform) an unknown value. */
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** Type-only carrier of the input and output types; never present at runtime. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** A schema of any library that implements Standard Schema v1. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/** The JSON Schema dialects a Standard JSON Schema converter can be asked for. */
export type StandardJsonSchemaTarget = "draft-2020-12" | "draft-07" | "openapi-3.0" | (string & {});

/** The converter Standard JSON Schema adds under `~standard.jsonSchema`. */
export interface StandardJsonSchemaConverter {
  /** JSON Schema of the values the schema accepts (what a model must send). */
  readonly input: (options: {
    readonly target: StandardJsonSchemaTarget;
  }) => Record<string, unknown>;
  /** JSON Schema of the values the schema produces. */
  readonly output: (options: {
    readonly target: StandardJsonSchemaTarget;
  }) => Record<string, unknown>;
}

/** Reads the Standard JSON Schema converter of a schema, where its library provides one. */
export function getJsonSchemaConverter(
  schema: StandardSchemaV1,
): StandardJsonSchemaConverter | undefined {
  const props = schema["~standard"] as StandardSchemaProps & {
    readonly jsonSchema?: StandardJsonSchemaConverter;
  };
  const converter = props.jsonSchema;
  return converter && typeof converter.input === "function" ? converter : undefined;
}

/** True when a value is a Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: { validate?: unknown } })["~standard"];
  return typeof props === "object" && props !== null && typeof props.validate === "function";
}
