import type { ToolResult } from "../batch/tool-result.js";
import { describeThrown } from "../values/describe-thrown.js";
import {
  ACCESS_RECORD_SCHEMA_VERSION,
  type AccessedCall,
  type AccessRecord,
  type AuditOptions,
  type ContentKind,
  type EndedBatch,
  type SensitiveAccess,
} from "./access-record.js";

/**
 * Builds the {@link AccessRecord} of a batch that ended. Total: whatever a tool's `accesses` or
 * the `redact` hook throws or returns ends in the call's `error`, never in an exception, because
 * the record is made while the batch's results are handed out.
 * @internal
 */
export function buildAccessRecord(audited: EndedBatch, audit: AuditOptions): AccessRecord {
  const { batch, results } = audited;
  const returned = new Map<string, string[]>();
  const calls = batch.calls.map((call, index): AccessedCall => {
    const result = results[index] as ToolResult;
    const ran = audited.startTimes[index] !== undefined;
    const errors: string[] = [];
    const accesses = ran ? readAccesses(audited, index, errors) : [];
    if (accesses && result.ok) {
      for (const category of accesses) {
        const ids = returned.get(category) ?? [];
        if (ids.at(-1) !== call.id) ids.push(call.id);
        returned.set(category, ids);
      }
    }
    const entry: { -readonly [K in keyof AccessedCall]: AccessedCall[K] } = {
      callId: call.id,
      tool: call.name,
      ran,
      outcome: result.ok ? "ok" : result.error.code,
    };
    if (accesses) entry.accesses = accesses;
    const { redact } = audit;
    if (redact) {
      const keep = (kind: ContentKind, value: unknown) => {
        try {
          const kept = redact(kind, value, call);
          // A JSON copy: the record shares nothing with the call, and reads back equal.
          const json = kept === undefined ? undefined : JSON.stringify(kept);
          if (json !== undefined) entry[kind] = JSON.parse(json);
        } catch (error) {
          errors.push(`redact(${kind}) failed: ${describeThrown(error)}`);
        }
      };
      keep("arguments", call.input);
      keep(
        "result",
        result.ok ? result.output : { code: result.error.code, message: result.error.message },
      );
    }
    if (errors.length > 0) entry.error = errors.join("; ");
    return entry;
  });
  const sensitive: SensitiveAccess[] = [];
  for (const combination of audit.sensitive ?? []) {
    if (!combination.every((category) => returned.has(category))) continue;
    const ids = new Set(combination.flatMap((category) => returned.get(category) ?? []));
    const callIds = batch.calls.map((call) => call.id).filter((id) => ids.has(id));
    sensitive.push({ categories: [...combination], callIds });
  }
  return {
    schemaVersion: ACCESS_RECORD_SCHEMA_VERSION,
    batchId: audited.batchId,
    provider: batch.provider,
    ...(batch.responseId !== undefined ? { responseId: batch.responseId } : {}),
    calls,
    categories: [...returned.keys()].sort(),
    sensitive,
  };
}

/** A call's categories, without repeats; `undefined` (and an error) when its function failed. */
function readAccesses(audited: EndedBatch, index: number, errors: string[]): string[] | undefined {
  const call = audited.batch.calls[index];
  const declared = call && audited.tools.get(call.name)?.accesses;
  if (!declared) return [];
  try {
    const categories: unknown =
      typeof declared === "function"
        ? (declared as (input: unknown) => unknown)(audited.ready[index]?.input)
        : declared;
    if (Array.isArray(categories) && categories.every((item) => typeof item === "string")) {
      return [...new Set<string>(categories)];
    }
    errors.push("accesses returned no list of strings");
  } catch (error) {
    errors.push(`accesses failed: ${describeThrown(error)}`);
  }
  return undefined;
}
