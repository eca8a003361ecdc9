import type { AnyTool, JsonSchema } from "@toolbatch/core";
import { convertToStrictJsonSchema } from "./convert-to-strict-json-schema.js";
import { stripConvertedNulls } from "./strip-converted-nulls.js";

/**
 * The arguments OpenAI's strict mode makes the model send for a tool whose input is `T`, once
 * {@link openaiStrictTool} converted its schema: every optional property present, `null` when not
 * given (`{ x?: string }` is sent as `{ x: string | null }`). The tool itself never sees this type:
 * `openaiStrictTool` turns those nulls back into absent keys.
 */
export type OpenAIStrictArguments<T> = T extends readonly (infer Item)[]
  ? OpenAIStrictArguments<Item>[]
  : T extends object
    ? {
        [Key in keyof T]-?:
          | OpenAIStrictArguments<Exclude<T[Key], undefined>>
          | (object extends Pick<T, Key> ? null : never);
      }
    : T;

/**
 * The tool with its schema converted for OpenAI's strict mode, as OpenAI's own helpers do:
 * optional properties (and those with a `default`) required and nullable, `additionalProperties:
 * false` on every object. Its `execute` keeps its input type: a `null` the model sends for a
 * converted property is removed before the tool's own validation runs, so `x?: string` stays
 * absent (and a `.default()` applies) rather than arriving as `null`. Keywords strict mode has no
 * equivalent for (`allOf`, a record's `additionalProperties`, ...) are left as they are, and
 * `openaiChat({ strict: true })`'s `tools()` reports them.
 *
 * @example
 * const search = openaiStrictTool(defineTool({
 *   name: "search",
 *   description: "Search the docs",
 *   input: z.object({ query: z.string(), limit: z.number().optional() }),
 *   execute: ({ query, limit }) => find(query, limit ?? 10),
 * }));
 * openaiChat({ strict: true }).tools([search]); // limit: { type: ["number", "null"] }, required
 */
export function openaiStrictTool<T extends AnyTool>(tool: T): T {
  const original = tool;
  let converted: JsonSchema | undefined;
  const wrapped: AnyTool = {
    name: tool.name,
    description: tool.description,
    // Lazy, as defineTool's: the schema is derived on first read.
    get inputSchema(): JsonSchema {
      converted ??= convertToStrictJsonSchema(original.inputSchema);
      return converted;
    },
    parallel: tool.parallel,
    ...(tool.lock ? { lock: tool.lock } : {}),
    ...(tool.timeoutMs !== undefined ? { timeoutMs: tool.timeoutMs } : {}),
    ...(tool.needsApproval ? { needsApproval: tool.needsApproval } : {}),
    ...(tool.idempotent ? { idempotent: tool.idempotent } : {}),
    validate: (value) => original.validate(stripConvertedNulls(original.inputSchema, value)),
    execute: tool.execute,
  };
  return Object.freeze(wrapped) as T;
}
