import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as formatsModule from "ajv-formats";
import { packageDirectory } from "../package-directory.js";

/** The vendor API schemas the kit ships (`specs/`). */
export type SpecName = "openai";

/** Validates values against one vendor's published schemas. */
export interface SpecValidator {
  /**
   * Validates `value` against `components.schemas[schemaName]`; returns the problems, each as
   * `<path>: <message>`, or an empty list when it is valid.
   */
  validate(schemaName: string, value: unknown): string[];
}

const FILES: Record<SpecName, string> = { openai: "openai.subset.json" };
// Unions that ordinary values match more than once (see specs/README of the toolbatch repo):
// relaxed from oneOf to anyOf, or real requests the API accepted fail.
const RELAXED_ONE_OF: Record<SpecName, readonly string[]> = {
  openai: ["InputItem", "Item", "InputContent"],
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
  const raw = JSON.parse(readFileSync(join(packageDirectory("specs"), FILES[spec]), "utf8")) as {
    components: { schemas: Record<string, unknown> };
  };
  const schemas = raw.components.schemas;
  for (const name of RELAXED_ONE_OF[spec]) {
    const schema = schemas[name] as Record<string, unknown> | undefined;
    if (schema?.oneOf) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
  }
  const id = `toolbatch:${spec}`;
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  const addFormats =
    (formatsModule as unknown as { default: (ajv: Ajv2020) => void }).default ?? formatsModule;
  (addFormats as (ajv: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: id, components: { schemas: rewriteNullable(schemas) } });
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(schemaName, value) {
      let validate = compiled.get(schemaName);
      if (!validate) {
        validate = ajv.getSchema(`${id}#/components/schemas/${schemaName}`);
        if (!validate)
          throw new Error(`[toolbatch/contract] The ${spec} spec has no schema "${schemaName}".`);
        compiled.set(schemaName, validate);
      }
      return validate(value) ? [] : (validate.errors ?? []).map(describeError);
    },
  };
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || "/"}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

/** OpenAPI 3.0's `nullable: true`, still left in OpenAI's 3.1 file, as JSON Schema null types. */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = rewriteNullable(value);
  if (nullable !== true) return out;
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type))
    return out.type.includes("null") ? out : { ...out, type: [...out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}
