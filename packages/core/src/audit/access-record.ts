import type { ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolErrorCode, ToolResult } from "../batch/tool-result.js";
import type { ToolSet } from "../tools/tool-set.js";

/** The version of the {@link AccessRecord} shape; a reader refuses one it does not know. */
export const ACCESS_RECORD_SCHEMA_VERSION = 1;

/** Which content a {@link RedactHook} is asked about: a call's arguments or its result. */
export type ContentKind = "arguments" | "result";

/**
 * Decides what of a call's arguments or result reaches the audit log: returns the value to keep
 * (JSON data), or `undefined` to keep nothing. For a result, `value` is the tool's output on
 * success and the error (`{ code, message }`, what the model reads) on failure. The same shape as
 * `@toolbatch/otel`'s `redact`, so one function serves the log and the spans.
 */
export type RedactHook = (kind: ContentKind, value: unknown, call: ToolCall) => unknown;

/** What {@link createAccessAudit} takes. Each field accepts `undefined` as absent. */
export interface AuditOptions {
  /**
   * Combinations of data categories the application marks sensitive together (`[["pii:address",
   * "pii:name"]]`): a combination whose every category was returned to the model in one batch
   * (one follow-up) is listed in the record's `sensitive`, with the calls that returned it.
   */
  sensitive?: readonly (readonly string[])[] | undefined;
  /**
   * What of each call's arguments and result the record keeps. Default: nothing: an audit log
   * says who touched which data, and must not become one more copy of that data. A hook that
   * throws, or returns what is not JSON data, keeps nothing of that value (the call's `error`
   * says so) and never changes a result.
   */
  redact?: RedactHook | undefined;
}

/** One call of the batch in its {@link AccessRecord}. */
export interface AccessedCall {
  /** The vendor's call id (`ToolCall.id`). */
  readonly callId: string;
  /** The tool the model called (its name, as called). */
  readonly tool: string;
  /**
   * Whether the call started running: then its tool touched the data, even if it was answered
   * `timeout` or `aborted` afterwards. Unknown tools, invalid input, denied or cancelled calls
   * never ran.
   */
  readonly ran: boolean;
  /** `ok`, or the error code of its result. */
  readonly outcome: "ok" | ToolErrorCode;
  /**
   * The categories it touched, as its tool declares them (see `ToolDefinition.accesses`): empty
   * for a call that never ran or a tool that declares none; absent when the tool's `accesses`
   * function failed for this call (see `error`), so the categories are unknown.
   */
  readonly accesses?: readonly string[];
  /** Why `accesses`, `arguments` or `result` is missing: the hook that failed, and its error. */
  readonly error?: string;
  /** The arguments as `redact` kept them; absent without `redact` or when it kept nothing. */
  readonly arguments?: unknown;
  /** The result as `redact` kept it; absent without `redact` or when it kept nothing. */
  readonly result?: unknown;
}

/** A combination marked sensitive (`AuditOptions.sensitive`) that one batch returned whole. */
export interface SensitiveAccess {
  /** The combination, as the application gave it. */
  readonly categories: readonly string[];
  /** The calls that returned one of its categories to the model, in call order. */
  readonly callIds: readonly string[];
}

/**
 * What one batch did with data, for an audit log: plain JSON (`JSON.parse(JSON.stringify(record))`
 * is equal to it), versioned by `schemaVersion`. On `batch-end` as `event.access` when the
 * executor's `audit` option is given, and on each loop step as `step.access`.
 */
export interface AccessRecord {
  /** {@link ACCESS_RECORD_SCHEMA_VERSION}. */
  readonly schemaVersion: typeof ACCESS_RECORD_SCHEMA_VERSION;
  /** The batch run's id, as its events and tools see it. */
  readonly batchId: string;
  /** The vendor (`ToolCallBatch.provider`). */
  readonly provider: string;
  /** The vendor's id of the response the calls came in, where it sent one (`ToolCallBatch.responseId`). */
  readonly responseId?: string;
  /** Every call of the batch, in call order. */
  readonly calls: readonly AccessedCall[];
  /**
   * The categories of the calls that ran and returned their output to the model (`ok`), sorted
   * and without repeats: what the model's next answer may combine. A failed call's output never
   * reached the model; only its error text did, which `errorText` controls.
   */
  readonly categories: readonly string[];
  /** Every combination marked sensitive that `categories` covers, in the order given. */
  readonly sensitive: readonly SensitiveAccess[];
}

/**
 * A loop step's {@link AccessRecord} (`ToolLoopStep.access`), with the follow-up that returned the
 * results to the model together.
 */
export interface StepAccessRecord extends AccessRecord {
  /**
   * The follow-up that returned the batch's results together: the step (0-based) whose follow-up
   * it is, and how many results it held. Absent for a turn that broke off, whose results were
   * never sent.
   */
  readonly followUp?: { readonly step: number; readonly results: number };
}

/**
 * The executor's and the loop's `audit` option, made by `createAccessAudit`: asks for an
 * {@link AccessRecord} on every `batch-end` event. A value of its own, so that an application
 * that never audits does not bundle the code that builds records.
 */
export interface AccessAudit {
  /** The options it was made with. */
  readonly options: AuditOptions;
  /**
   * Builds the record of a batch that ended; the executor calls it once per batch.
   * @internal
   */
  readonly record: (ended: EndedBatch) => AccessRecord;
}

/** What a batch run knows of its calls once every one has its result. @internal */
export interface EndedBatch {
  readonly batchId: string;
  readonly batch: ToolCallBatch;
  readonly results: readonly ToolResult[];
  readonly tools: ToolSet;
  /** Per call, in call order: when it started running, `undefined` if it never did. */
  readonly startTimes: readonly (number | undefined)[];
  /** Per call, in call order: its validated input, for a call that ran. */
  readonly ready: readonly ({ readonly input: unknown } | null | undefined)[];
}
