import type { ApprovalRequest } from "../approval/approval-request.js";
import type { BatchWarning, ToolCall, ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import { CheckpointVersionError } from "../errors/checkpoint-version-error.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { describeThrown } from "../values/describe-thrown.js";
import { describeValue } from "../values/describe-value.js";
import {
  BATCH_CHECKPOINT_SCHEMA_VERSION,
  type BatchCheckpoint,
  type KeptApproval,
  type LedgerEntry,
} from "./batch-checkpoint.js";
import {
  keyPath,
  own,
  readArray,
  readBoolean,
  readJson,
  readObject,
  readOptionalString,
  readOptionalTime,
  readString,
  readTime,
  refuse,
  setField,
} from "./read-checkpoint-fields.js";
import { readLedgerEntry, readResult } from "./read-checkpoint-result.js";

type Migration = (checkpoint: Record<string, unknown>) => Record<string, unknown>;

/**
 * The migration hook: `MIGRATIONS[n]` turns a checkpoint of schema version `n` (as untyped data)
 * into one of version `n + 1`; `parseBatchCheckpoint` applies them in turn up to the current
 * version, then validates the result as a checkpoint of the current version. Empty: version 1 is
 * the first. When version 2 comes, version 1 stays readable by adding
 * `1: (v1) => ({ ...v1, schemaVersion: 2, ... })` here; a version with no migration is refused
 * (`CheckpointVersionError`).
 */
const MIGRATIONS: Readonly<Record<number, Migration>> = {};

/**
 * Reads a value (parsed JSON from a store, a file, a request body) as a {@link BatchCheckpoint},
 * checking all of it: the schema version, every field's type, and that the parts agree (calls at
 * their index with unique ids; results, ledger entries and pending approvals for calls of the
 * batch, under their call's id and name; no approval pending for a call that has a result or ran,
 * or that was approved).
 * Returns a copy that shares nothing with the value; unknown fields are left out, and so is an
 * error's `cause`.
 *
 * @throws {CheckpointVersionError} when it carries a schema version this `@toolbatch/core` cannot
 *   read: a newer one, or an older one no migration converts. Never misread as the current one.
 * @throws {InvalidCheckpointError} for anything else that is not a checkpoint, naming the field;
 *   never a `TypeError`, whatever the value (a revoked Proxy, a getter that throws, a cycle).
 */
export function parseBatchCheckpoint(value: unknown): BatchCheckpoint {
  try {
    return readCheckpoint(upgrade(readObject(value, "checkpoint")));
  } catch (error) {
    if (InvalidCheckpointError.isInstance(error) || CheckpointVersionError.isInstance(error)) {
      throw error;
    }
    // A getter or a Proxy's trap threw while the checkpoint was read.
    throw new InvalidCheckpointError("checkpoint", `could not be read: ${describeThrown(error)}`, {
      cause: error,
    });
  }
}

/** Applies the migrations from the checkpoint's schema version up to the current one. */
function upgrade(checkpoint: Record<string, unknown>): Record<string, unknown> {
  const version = own(checkpoint, "schemaVersion");
  if (typeof version !== "number" || !Number.isSafeInteger(version)) {
    refuse("checkpoint.schemaVersion", `is not a schema version: got ${describeValue(version)}`);
  }
  const versionError = () =>
    new CheckpointVersionError(version, [
      ...Object.keys(MIGRATIONS).map(Number),
      BATCH_CHECKPOINT_SCHEMA_VERSION,
    ]);
  if (version > BATCH_CHECKPOINT_SCHEMA_VERSION) throw versionError();
  let current = checkpoint;
  for (let from = version; from < BATCH_CHECKPOINT_SCHEMA_VERSION; from++) {
    const migration = Object.hasOwn(MIGRATIONS, from) ? MIGRATIONS[from] : undefined;
    if (!migration) throw versionError();
    current = readObject(migration(current), "checkpoint");
  }
  return current;
}

function readCheckpoint(checkpoint: Record<string, unknown>): BatchCheckpoint {
  const batchId = readString(checkpoint, "batchId", "checkpoint");
  const batch = readBatch(own(checkpoint, "batch"));
  const calls = new Map(batch.calls.map((call) => [call.id, call]));
  const callOf = (path: string, callId: string): ToolCall => {
    const call = calls.get(callId);
    if (!call) refuse(path, `is for a call the batch does not hold, ${JSON.stringify(callId)}`);
    return call;
  };

  const results: Record<string, ToolResult> = {};
  const storedResults = readObject(own(checkpoint, "results"), "checkpoint.results");
  for (const callId of Object.keys(storedResults)) {
    const path = keyPath("checkpoint.results", callId);
    setField(results, callId, readResult(storedResults[callId], path, callOf(path, callId)));
  }
  const ledger: Record<string, LedgerEntry> = {};
  const storedLedger = readObject(own(checkpoint, "ledger"), "checkpoint.ledger");
  for (const callId of Object.keys(storedLedger)) {
    const path = keyPath("checkpoint.ledger", callId);
    setField(ledger, callId, readLedgerEntry(storedLedger[callId], path, callOf(path, callId)));
  }

  const pending: ApprovalRequest[] = [];
  const awaited = new Set<string>();
  readArray(checkpoint, "pending", "checkpoint").forEach((value, index) => {
    const path = `checkpoint.pending[${index}]`;
    const request = readObject(value, path);
    const callId = readString(request, "callId", path);
    const call = callOf(keyPath(path, "callId"), callId);
    const toolName = readString(request, "toolName", path);
    if (toolName !== call.name) {
      refuse(
        keyPath(path, "toolName"),
        `is ${JSON.stringify(toolName)}, not the name of its call, ${JSON.stringify(call.name)}`,
      );
    }
    if (readString(request, "batchId", path) !== batchId) {
      refuse(keyPath(path, "batchId"), "is not the checkpoint's batchId");
    }
    if (awaited.has(callId) || Object.hasOwn(results, callId) || Object.hasOwn(ledger, callId)) {
      refuse(
        path,
        `awaits approval for call ${JSON.stringify(callId)}, which ${
          awaited.has(callId) ? "already awaits it" : "has a result or ran"
        }`,
      );
    }
    awaited.add(callId);
    const input = readJson(request, "input", path);
    const digest = readString(request, "digest", path);
    const signature = readOptionalString(request, "signature", path);
    const requestedAt = readOptionalTime(request, "requestedAt", path);
    pending.push({
      callId,
      toolName,
      input,
      digest,
      batchId,
      ...(signature === undefined ? {} : { signature }),
      ...(requestedAt === undefined ? {} : { requestedAt }),
    });
  });

  const approved =
    own(checkpoint, "approved") === undefined
      ? undefined
      : readApproved(readObject(own(checkpoint, "approved"), "checkpoint.approved"), (path, id) => {
          callOf(path, id);
          if (awaited.has(id))
            refuse(path, `is for call ${JSON.stringify(id)}, which awaits approval`);
        });
  return {
    schemaVersion: BATCH_CHECKPOINT_SCHEMA_VERSION,
    batchId,
    batch,
    results,
    pending,
    ...(approved ? { approved } : {}),
    ledger,
  };
}

/** `checkpoint.approved`: each key checked by `checkCall`, each entry a {@link KeptApproval}. */
function readApproved(
  stored: Record<string, unknown>,
  checkCall: (path: string, callId: string) => void,
): Record<string, KeptApproval> {
  const approved: Record<string, KeptApproval> = {};
  for (const callId of Object.keys(stored)) {
    const path = keyPath("checkpoint.approved", callId);
    checkCall(path, callId);
    const entry = readObject(stored[callId], path);
    const digest = readString(entry, "digest", path);
    const decidedAt = readTime(entry, "decidedAt", path);
    const signature = readOptionalString(entry, "signature", path);
    setField(approved, callId, {
      digest,
      decidedAt,
      ...(signature === undefined ? {} : { signature }),
    });
  }
  return approved;
}

function readBatch(value: unknown): ToolCallBatch {
  const path = "checkpoint.batch";
  const batch = readObject(value, path);
  const ids = new Set<string>();
  const calls = readArray(batch, "calls", path).map((item, index): ToolCall => {
    const callPath = `${path}.calls[${index}]`;
    const call = readObject(item, callPath);
    const id = readString(call, "id", callPath);
    if (ids.has(id))
      refuse(keyPath(callPath, "id"), `is ${JSON.stringify(id)}, the id of an earlier call`);
    ids.add(id);
    if (own(call, "index") !== index) {
      refuse(
        keyPath(callPath, "index"),
        `is not ${index}: got ${describeValue(own(call, "index"))}`,
      );
    }
    const read: { -readonly [K in keyof ToolCall]: ToolCall[K] } = {
      id,
      name: readString(call, "name", callPath),
      input: readJson(call, "input", callPath),
      index,
    };
    if (own(call, "idSynthesized") !== undefined) {
      read.idSynthesized = readBoolean(call, "idSynthesized", callPath);
    }
    const rawInput = readOptionalString(call, "rawInput", callPath);
    if (rawInput !== undefined) read.rawInput = rawInput;
    const inputError = readOptionalString(call, "inputError", callPath);
    if (inputError !== undefined) read.inputError = inputError;
    return read;
  });
  const read: { -readonly [K in keyof ToolCallBatch]: ToolCallBatch[K] } = {
    provider: readString(batch, "provider", path),
    calls,
    complete: readBoolean(batch, "complete", path),
    turn: readJson(batch, "turn", path),
  };
  const stopReason = readOptionalString(batch, "stopReason", path);
  if (stopReason !== undefined) read.stopReason = stopReason;
  if (own(batch, "warnings") !== undefined) {
    read.warnings = readArray(batch, "warnings", path).map((item, index) =>
      readWarning(item, `${path}.warnings[${index}]`),
    );
  }
  return read;
}

function readWarning(value: unknown, path: string): BatchWarning {
  const warning = readObject(value, path);
  const read: { -readonly [K in keyof BatchWarning]: BatchWarning[K] } = {
    code: readString(warning, "code", path),
    message: readString(warning, "message", path),
  };
  const callIndex = own(warning, "callIndex");
  if (callIndex !== undefined) {
    if (!Number.isSafeInteger(callIndex) || (callIndex as number) < 0) {
      refuse(keyPath(path, "callIndex"), `is not a call's index: got ${describeValue(callIndex)}`);
    }
    read.callIndex = callIndex as number;
  }
  return read;
}
