import type { ToolCall } from "../batch/tool-call.js";
import { InvalidToolDefinitionError } from "../errors/invalid-tool-definition-error.js";
import { describeThrown } from "../values/describe-thrown.js";
import type { JsonSchema, JsonSchemaInput } from "./json-schema.js";
import {
  getJsonSchemaConverter,
  isStandardSchema,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from "./standard-schema.js";

/** Tool names every vendor accepts: a letter, then up to 63 letters, digits, `_` or `-`. */
export const PORTABLE_TOOL_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

/** What a tool's input may be declared with: a Standard Schema (zod 4 first) or plain JSON Schema. */
export type ToolInputSchema = StandardSchemaV1 | JsonSchemaInput<unknown>;

/** The input type `execute` receives for a given input schema (a Standard Schema's output type). */
export type InferToolInput<Schema> =
  Schema extends StandardSchemaV1<unknown, infer Output>
    ? Output
    : Schema extends JsonSchemaInput<infer T>
      ? T
      : unknown;

/** One key or several; calls sharing any key run one at a time, in batch order. */
export type LockKeys = string | readonly string[] | undefined | null;

/**
 * The data categories a tool's calls read or write, for the access audit (the executor's `audit`
 * option): a list, or a function of the validated input. Categories are free strings; a
 * convention that reads well in an audit log is `kind:detail` (`"pii:address"`, `"pii:email"`,
 * `"orders"`, `"location"`).
 */
export type ToolAccesses<Input> = readonly string[] | ((input: Input) => readonly string[]);

/**
 * What `execute` receives besides its input.
 *
 * A call that times out or is cancelled is answered at once, but a tool that does not stop may
 * still take effect afterwards, and the model may call it again. A tool that writes should pass
 * an idempotency key to the system it writes to (a payment API's `Idempotency-Key`, a unique
 * constraint in a database): `${batchId}:${call.id}` names this call of this batch run, and no
 * other, anywhere.
 */
export interface ToolExecuteContext {
  /** The call being answered: its id, name, raw arguments and position in the batch. */
  readonly call: ToolCall;
  /**
   * A unique id of this batch run (a random UUID), the same for every call of the batch. With
   * `call.id` (unique within a conversation only) it makes the call's idempotency key.
   */
  readonly batchId: string;
  /** Aborted when the call times out or the batch is cancelled; pass it on to fetch and friends. */
  readonly signal: AbortSignal;
}

/** What a tool's `needsApproval` function receives besides the call's input. */
export interface ApprovalCheckContext {
  /** The call to run: its id, name, arguments and position in the batch. */
  readonly call: ToolCall;
  /** The batch run's id, as `execute` will see it (see {@link ToolExecuteContext.batchId}). */
  readonly batchId: string;
}

/**
 * Whether calls of a tool need approval before they run: always (`true`), never (`false`), or as
 * a function of the validated input decides (it may be asynchronous).
 */
export type NeedsApproval<Input> =
  | boolean
  | ((input: Input, context: ApprovalCheckContext) => boolean | PromiseLike<boolean>);

/** What a tool's `toModelOutput` receives besides the output. */
export interface ToolModelOutputContext {
  /** The call answered: its id, name, arguments and position in the batch. */
  readonly call: ToolCall;
}

/**
 * What `defineTool` takes. Every optional field accepts `undefined` as absent, so definitions
 * built from optional values compile under `exactOptionalPropertyTypes`.
 */
export interface ToolDefinition<
  Schema extends ToolInputSchema,
  Output,
  Name extends string = string,
> {
  /**
   * The name the model calls the tool by; must match {@link PORTABLE_TOOL_NAME}. Its literal type
   * is kept (`Tool<..., "get_weather">`), so results and names are typed by the tool list.
   */
  name: Name;
  /** What the tool does and when to use it, for the model. */
  description: string;
  /** The input schema: a Standard Schema (zod 4, valibot, arktype, ...) or `{ jsonSchema }`. */
  input: Schema;
  /**
   * JSON Schema to send instead of the one derived from `input`, for schema libraries that do not
   * implement Standard JSON Schema (zod before 4.2, for instance). Validation still uses `input`.
   */
  jsonSchema?: JsonSchema | undefined;
  /** Runs the tool on validated input. Whatever it throws becomes an `execution_failed` result. */
  execute: (
    input: InferToolInput<Schema>,
    context: ToolExecuteContext,
  ) => Output | PromiseLike<Output>;
  /**
   * `false` makes each call of this tool a barrier: it waits for the calls before it, runs alone,
   * then the rest resume. Use it for tools that change state others read. Default `true`.
   */
  parallel?: boolean | undefined;
  /**
   * Returns the key(s) of the resources a call touches. Calls sharing a key run one at a time in
   * batch order; calls without a shared key overlap. With a `limiter` given to the executor, a
   * key is held across every batch that shares the limiter (a lock key is a resource of
   * concurrency 1), so a call of the next loop step waits for one still running on its key.
   */
  lock?: ((input: InferToolInput<Schema>) => LockKeys) | undefined;
  /**
   * Returns the shared resources a call uses (an API, an endpoint, a database), in the same
   * shape as `lock`. A `limiter` given to the executor (`createResourceLimiter`) bounds each
   * resource's calls in flight and starts per interval across every batch that shares it; a call
   * waits for its budget (`call-wait` events) and is answered `not_executed` if its time limit
   * runs out first. Without a limiter, or for a resource it has no limit for, nothing is limited.
   */
  resources?: ((input: InferToolInput<Schema>) => LockKeys) | undefined;
  /** Time limit per call in milliseconds; wins over the batch's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * `true`, or a function of the validated input returning `true`, makes a call wait for a
   * decision before it runs: `executeBatch`'s `approve` option decides in the process. The rest
   * of the batch runs meanwhile. A denied call is answered `denied` and never runs. A function
   * that throws or returns anything but a boolean fails its call (`execution_failed`), unrun.
   * Default `false`.
   */
  needsApproval?: NeedsApproval<InferToolInput<Schema>> | undefined;
  /**
   * `true` when running a call twice has the effect of running it once (a read, or a write keyed
   * by the execute context's `batchId` and `call.id`). Only `resumeBatch` reads it: a call that
   * started and has no recorded result (the process died while it ran) runs again instead of
   * being answered `outcome_unknown`. Default `false`.
   */
  idempotent?: boolean | undefined;
  /**
   * What the model reads of a success instead of the output itself (a summary, the fields it
   * needs, a text): the call's result keeps the real `output` for the application and carries
   * the mapping as `modelOutput`, which every adapter's follow-up sends and checkpoints keep. It
   * must return JSON data (`undefined` reads as `null`). One that throws or returns anything else
   * withholds the output from the model: it reads that the tool ran and its output cannot be shown,
   * never the exception. Default: the model reads `output`.
   */
  toModelOutput?: ((output: Output, context: ToolModelOutputContext) => unknown) | undefined;
  /**
   * The data categories a call reads or writes (see {@link ToolAccesses}), recorded by the
   * executor's `audit` option for each call that ran. A function is asked once the batch ended,
   * with the call's validated input; one that throws or returns anything but a list of strings
   * leaves the call's categories unknown in the record (with an `error`), never changes its
   * result. Default: none.
   */
  accesses?: ToolAccesses<InferToolInput<Schema>> | undefined;
}

/**
 * A validated tool, ready for `executeBatch` and for every adapter's `tools()`. `Name` is the
 * literal name `defineTool` was given, where it was a literal.
 */
export interface Tool<Input = unknown, Output = unknown, Name extends string = string> {
  /** The name the model calls the tool by. */
  readonly name: Name;
  /** What the tool does, for the model. */
  readonly description: string;
  /** JSON Schema of the input (root `type: "object"`, no `$schema`), computed once on first read. */
  readonly inputSchema: JsonSchema;
  /** False when each call is a barrier (see {@link ToolDefinition.parallel}). */
  readonly parallel: boolean;
  /** The lock-key function, when the tool has one. */
  readonly lock?: (input: Input) => LockKeys;
  /** The resources function, when the tool has one (see {@link ToolDefinition.resources}). */
  readonly resources?: (input: Input) => LockKeys;
  /** The tool's own time limit in milliseconds, when it has one. */
  readonly timeoutMs?: number;
  /** Present when calls may need approval: `true`, or the function that decides per call. */
  readonly needsApproval?: Exclude<NeedsApproval<Input>, false>;
  /** Present, `true`, when a call may run again after a crash (see {@link ToolDefinition.idempotent}). */
  readonly idempotent?: true;
  /** Validates unknown arguments; the value of a success is what `execute` receives. */
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<unknown> | Promise<StandardSchemaResult<unknown>>;
  /** Runs the tool. Call it through `executeBatch`, which validates, schedules and times it. */
  readonly execute: (input: Input, context: ToolExecuteContext) => Output | PromiseLike<Output>;
  /**
   * Maps a success's output to what the model reads (see {@link ToolDefinition.toModelOutput}).
   * A method, so that a tool of any output is still an {@link AnyTool}.
   */
  toModelOutput?(output: Output, context: ToolModelOutputContext): unknown;
  /** The data categories a call touches, when the tool declares them (a frozen copy of a list). */
  readonly accesses?: ToolAccesses<Input>;
}

/** Any tool, whatever its input and output types; what tool lists hold. */
export type AnyTool = Tool<never, unknown>;

/**
 * Defines a tool once for every vendor. The input type of `execute` is inferred from the schema.
 *
 * @throws {InvalidToolDefinitionError} when the name is not portable, the input is not a schema,
 * `lock` or `resources` is not a function, `timeoutMs` is not a positive number, `needsApproval`
 * is neither a boolean nor a function, `idempotent` is not a boolean, `toModelOutput` is not a
 * function, or `accesses` is neither a function nor a list of non-empty strings.
 *
 * @example
 * const weather = defineTool({
 *   name: "get_weather",
 *   description: "Current weather for a city",
 *   input: z.object({ city: z.string() }),
 *   execute: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 */
export function defineTool<Schema extends ToolInputSchema, Output, Name extends string = string>(
  definition: ToolDefinition<Schema, Output, Name>,
): Tool<InferToolInput<Schema>, Output, Name> {
  const { name, description, input, execute, lock, timeoutMs, needsApproval, idempotent } =
    definition;
  const { toModelOutput, resources, accesses } = definition;
  if (typeof name !== "string" || !PORTABLE_TOOL_NAME.test(name)) {
    throw new InvalidToolDefinitionError(
      String(name),
      "name",
      `the name must match ${PORTABLE_TOOL_NAME}, so that every vendor accepts it.`,
    );
  }
  if (typeof execute !== "function") {
    throw new InvalidToolDefinitionError(name, "execute", "execute must be a function.");
  }
  if (lock !== undefined && typeof lock !== "function") {
    throw new InvalidToolDefinitionError(name, "lock", "lock must be a function.");
  }
  if (resources !== undefined && typeof resources !== "function") {
    throw new InvalidToolDefinitionError(name, "resources", "resources must be a function.");
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0)) {
    throw new InvalidToolDefinitionError(
      name,
      "timeoutMs",
      `timeoutMs must be a positive number of milliseconds; got ${String(timeoutMs)}.`,
    );
  }
  if (
    needsApproval !== undefined &&
    typeof needsApproval !== "boolean" &&
    typeof needsApproval !== "function"
  ) {
    throw new InvalidToolDefinitionError(
      name,
      "needsApproval",
      "needsApproval must be a boolean or a function.",
    );
  }
  if (idempotent !== undefined && typeof idempotent !== "boolean") {
    throw new InvalidToolDefinitionError(name, "idempotent", "idempotent must be a boolean.");
  }
  if (toModelOutput !== undefined && typeof toModelOutput !== "function") {
    throw new InvalidToolDefinitionError(
      name,
      "toModelOutput",
      "toModelOutput must be a function.",
    );
  }
  const declared = checkAccesses(name, accesses);
  const validate = createValidator(name, input);
  let inputSchema: JsonSchema | undefined = definition.jsonSchema
    ? checkObjectSchema(name, definition.jsonSchema)
    : undefined;

  const tool: Tool<InferToolInput<Schema>, Output, Name> = {
    name,
    description: description ?? "",
    get inputSchema(): JsonSchema {
      inputSchema ??= deriveJsonSchema(name, input);
      return inputSchema;
    },
    parallel: definition.parallel !== false,
    ...(lock ? { lock } : {}),
    ...(resources ? { resources } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    // Only a tool that may need approval carries the field: the executor asks nothing of others.
    ...(needsApproval ? { needsApproval } : {}),
    ...(idempotent ? { idempotent } : {}),
    ...(toModelOutput ? { toModelOutput } : {}),
    ...(declared ? { accesses: declared } : {}),
    validate,
    execute,
  };
  return Object.freeze(tool);
}

/** A function as it is, a list as a frozen copy; `InvalidToolDefinitionError` for anything else. */
function checkAccesses<Input>(
  name: string,
  accesses: ToolAccesses<Input> | undefined,
): ToolAccesses<Input> | undefined {
  if (accesses === undefined || typeof accesses === "function") return accesses;
  if (
    Array.isArray(accesses) &&
    accesses.every((category) => typeof category === "string" && category !== "")
  ) {
    return Object.freeze([...accesses]);
  }
  throw new InvalidToolDefinitionError(
    name,
    "accesses",
    "accesses must be a list of non-empty strings (data categories) or a function of the input.",
  );
}

function createValidator(name: string, input: ToolInputSchema): Tool["validate"] {
  if (isStandardSchema(input)) {
    const props = input["~standard"];
    return (value) => props.validate(value);
  }
  if (typeof input === "object" && input !== null && "jsonSchema" in input) {
    return input.validate ?? ((value) => ({ value }));
  }
  throw new InvalidToolDefinitionError(
    name,
    "input",
    "input must be a Standard Schema (zod 4, valibot, arktype, ...) or { jsonSchema }.",
  );
}

function deriveJsonSchema(name: string, input: ToolInputSchema): JsonSchema {
  if (!isStandardSchema(input)) return checkObjectSchema(name, input.jsonSchema);
  const converter = getJsonSchemaConverter(input);
  if (!converter) {
    throw new InvalidToolDefinitionError(
      name,
      "input",
      `the ${input["~standard"].vendor} schema does not provide Standard JSON Schema, so its JSON Schema cannot be derived. Upgrade the library (zod >= 4.2) or pass the JSON Schema as \`jsonSchema\` in the definition.`,
    );
  }
  let schema: Record<string, unknown>;
  try {
    schema = converter.input({ target: "draft-2020-12" });
  } catch (cause) {
    throw new InvalidToolDefinitionError(
      name,
      "input",
      `its schema cannot be expressed as JSON Schema (${describeThrown(cause)}).`,
      { cause },
    );
  }
  const { $schema: _dialect, ...rest } = schema;
  return checkObjectSchema(name, rest);
}

function checkObjectSchema(name: string, schema: JsonSchema): JsonSchema {
  if (schema.type !== "object") {
    throw new InvalidToolDefinitionError(
      name,
      "input",
      `the input schema must describe an object (type: "object"), because vendors send arguments as an object; got type ${JSON.stringify(schema.type)}.`,
    );
  }
  return schema;
}
