import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as formatsModule from "ajv-formats";
import { packageDirectory } from "../package-directory.js";

/** The vendor API schemas the kit ships (`specs/`). */
export type SpecName = "openai" | "anthropic" | "gemini";

/** Validates values against one vendor's published schemas. */
export interface SpecValidator {
  /**
   * Validates `value` against `components.schemas[schemaName]`; returns the problems, each as
   * `<path>: <message>`, or an empty list when it is valid.
   */
  validate(schemaName: string, value: unknown): string[];
}

interface SpecFile {
  /** The file under `specs/`. */
  readonly file: string;
  /**
   * OpenAI and Anthropic publish OpenAPI 3.1 (JSON Schema 2020-12); the Gemini file is OpenAPI 3.0
   * (draft-07 semantics) and never rejects unknown fields, so it cannot catch a misspelt key:
   * Gemini shapes are also tested against the recordings.
   */
  readonly dialect: "2020-12" | "draft-07";
  /**
   * Unions that ordinary values match more than once, relaxed from `oneOf` to `anyOf`, or real
   * requests the API accepted fail (OpenAI's Responses `InputItem`).
   */
  readonly relaxOneOf: readonly string[];
}

const SPECS: Record<SpecName, SpecFile> = {
  openai: {
    file: "openai.subset.json",
    dialect: "2020-12",
    relaxOneOf: ["InputItem", "Item", "InputContent"],
  },
  anthropic: { file: "anthropic.subset.json", dialect: "2020-12", relaxOneOf: [] },
  gemini: { file: "gemini.openapi.tryAGI.json", dialect: "draft-07", relaxOneOf: [] },
};

const validators = new Map<SpecName, SpecValidator>();

/** The validator of a vendor's schemas, compiled once per process. */
export function loadSpecValidator(spec: SpecName): SpecValidator {
  let validator = validators.get(spec);
  if (!validator) {
    validator = createSpecValidator(spec);
    validators.set(spec, validator);
  }
  return validator;
}

function createSpecValidator(spec: SpecName): SpecValidator {
  const { file, dialect, relaxOneOf } = SPECS[spec];
  const raw = JSON.parse(readFileSync(join(packageDirectory("specs"), file), "utf8")) as {
    components: { schemas: Record<string, unknown> };
  };
  const schemas = raw.components.schemas;
  for (const name of relaxOneOf) {
    const schema = schemas[name] as Record<string, unknown> | undefined;
    if (schema?.oneOf) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
  }
  const id = `toolbatch:${spec}`;
  const options = { strict: false, allErrors: false, validateFormats: true };
  const ajv = dialect === "2020-12" ? new Ajv2020(options) : new Ajv(options);
  const addFormats =
    (formatsModule as unknown as { default: (ajv: Ajv) => void }).default ?? formatsModule;
  (addFormats as (ajv: Ajv) => void)(ajv);
  // Google accepts base64url in `byte` fields (thought signatures from its own SDKs use it).
  if (spec === "gemini") ajv.addFormat("byte", /^[A-Za-z0-9+/_-]*={0,2}$/);
  ajv.addSchema({ $id: id, components: { schemas: rewriteNullable(schemas) } });
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(schemaName, value) {
      let validate = compiled.get(schemaName);
      if (!validate) {
        validate = ajv.getSchema(`${id}#/components/schemas/${schemaName}`);
        if (!validate) {
          throw new Error(`[toolbatch/contract] The ${spec} spec has no schema "${schemaName}".`);
        }
        compiled.set(schemaName, validate);
      }
      return validate(value) ? [] : (validate.errors ?? []).map(describeError);
    },
  };
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || "/"}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

/** OpenAPI 3.0's `nullable: true` (left in OpenAI's 3.1 file too) as JSON Schema null types. */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = rewriteNullable(value);
  if (nullable !== true) return out;
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type)) {
    return out.type.includes("null") ? out : { ...out, type: [...out.type, "null"] };
  }
  return { anyOf: [out, { type: "null" }] };
}
