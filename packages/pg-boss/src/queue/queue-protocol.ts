import { createHash } from "node:crypto";
import type { ToolCall } from "@toolbatch/core";
import { InvalidQueueOptionError } from "./invalid-queue-option-error.js";

// What the coordinator and the workers agree on: the queue, the job's data and id, the call
// ledger's table and the channels. Both sides build it from the same options (`QueueProtocolOptions`).

/** Where a queue executor and its workers meet; both sides must be given the same values. */
export interface QueueProtocolOptions {
  /** The pg-boss queue the calls are sent to. Default `toolbatch-calls`. */
  queue?: string;
  /**
   * The PostgreSQL schema of toolbatch's call ledger (table `call_runs`); it also prefixes the
   * NOTIFY channels and the advisory-lock keys. A lower-case identifier. Default `toolbatch`.
   */
  schema?: string;
}

/** The protocol as both sides use it: names checked and quoted once. */
export interface QueueProtocol {
  /** The pg-boss queue. */
  readonly queue: string;
  /** The schema, unquoted. */
  readonly schema: string;
  /** `"schema"."call_runs"`, quoted for SQL. */
  readonly runsTable: string;
  /** Channel a worker notifies (payload: the job id) once a call's result is in the ledger. */
  readonly settledChannel: string;
  /** Channel a coordinator notifies (payload: the job id) to ask the worker to abort the call. */
  readonly cancelChannel: string;
  /** Prefix of a call's own advisory-lock key (with the job id). */
  readonly callLockPrefix: string;
  /** Prefix of a lock key's advisory-lock key (with the tool's key). */
  readonly keyLockPrefix: string;
}

/**
 * The data of a call's job: enough for any worker to run the call as the coordinator's executor
 * would have run it in the process. JSON, as pg-boss stores it.
 */
export interface CallJobData {
  /** The coordinating batch run's id: the tools' `batchId`. */
  readonly batchId: string;
  /** The call, as the tool's context gives it (`context.call`). */
  readonly call: ToolCall;
  /** The input the coordinator validated: what `execute` receives, not validated again. */
  readonly input: unknown;
  /** The call's lock keys, distinct and sorted; the worker holds them while the tool runs. */
  readonly lockKeys: readonly string[];
  /** The call's time limit in milliseconds, if it has one (for the worker's own bound). */
  readonly timeoutMs?: number;
  /**
   * The coordinator's trace context for the call, as text fields (W3C Trace Context:
   * `traceparent`, `tracestate`), from the executor's `traceContext` option; the worker hands it to
   * its `runInContext` option, so the tool's spans continue the coordinator's trace.
   */
  readonly trace?: Record<string, string>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;
const QUEUE_NAME = /^[A-Za-z0-9_.\-/]{1,100}$/;

/** Checks the options and names everything both sides use. */
export function createQueueProtocol(options: QueueProtocolOptions = {}): QueueProtocol {
  const queue = options.queue ?? "toolbatch-calls";
  const schema = options.schema ?? "toolbatch";
  if (typeof queue !== "string" || !QUEUE_NAME.test(queue)) {
    throw new InvalidQueueOptionError(
      "queue",
      queue,
      "a pg-boss queue name (letters, digits, _ . - /)",
    );
  }
  if (typeof schema !== "string" || !IDENTIFIER.test(schema)) {
    throw new InvalidQueueOptionError(
      "schema",
      schema,
      "a lower-case identifier of up to 41 characters",
    );
  }
  return {
    queue,
    schema,
    runsTable: `"${schema}"."call_runs"`,
    settledChannel: `${schema}_call_settled`,
    cancelChannel: `${schema}_call_cancel`,
    callLockPrefix: `${schema}:call:`,
    keyLockPrefix: `${schema}:key:`,
  };
}

/**
 * The job id of a call: a UUID derived from the batch id and the call id (SHA-256, laid out as an
 * RFC 9562 version 8 UUID), so that the same call sent twice, by two processes or by a resume,
 * names the same job, and pg-boss refuses the second insert.
 */
export function callJobId(batchId: string, callId: string): string {
  const digest = createHash("sha256").update(`toolbatch-call\0${batchId}\0${callId}`).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lock keys as a job carries them: distinct and sorted, so every worker sees the same list. */
export function orderLockKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

/**
 * Reads a job's data, which crossed the database: `undefined` when it is not a call's job (sent
 * by something else to the queue), so the worker can fail it with a clear message.
 */
export function readCallJobData(data: unknown): CallJobData | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { batchId, call, lockKeys, timeoutMs, trace } = data as Record<string, unknown>;
  if (typeof batchId !== "string" || typeof call !== "object" || call === null) return undefined;
  const { id, name, index } = call as Record<string, unknown>;
  if (typeof id !== "string" || typeof name !== "string" || typeof index !== "number") {
    return undefined;
  }
  if (!Array.isArray(lockKeys) || !lockKeys.every((key) => typeof key === "string")) {
    return undefined;
  }
  if (timeoutMs !== undefined && typeof timeoutMs !== "number") return undefined;
  // A malformed trace context costs the trace, never the call: it is dropped, the call runs.
  const { trace: _dropped, ...rest } = data as CallJobData;
  const carrier = readTraceCarrier(trace);
  return carrier ? { ...rest, trace: carrier } : rest;
}

/**
 * A trace context carrier as the job carries it: a copy of an object whose values are all strings,
 * or `undefined` for anything else (a hook's or a job's garbage is ignored, never thrown).
 */
export function readTraceCarrier(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  try {
    const carrier: Record<string, string> = {};
    for (const [field, text] of Object.entries(value)) {
      if (typeof text !== "string") return undefined;
      carrier[field] = text;
    }
    return Object.keys(carrier).length > 0 ? carrier : undefined;
  } catch {
    // A proxy or getter that throws.
    return undefined;
  }
}
