import type { ToolCall } from "../batch/tool-call.js";
import type { ToolErrorCode, ToolResult } from "../batch/tool-result.js";
import type { LedgerEntry } from "./batch-checkpoint.js";
import {
  keyPath,
  own,
  readBoolean,
  readJson,
  readObject,
  readString,
  readTime,
  refuse,
} from "./read-checkpoint-fields.js";

// The error codes a checkpoint's results may carry. Keyed by ToolErrorCode, so a code added to
// the type fails the type check here until it is added (and the schema version considered):
// a code this reader does not know is refused, never read as another. `denied` and
// `outcome_unknown` are the codes of approvals and the ledger (issue 16).
const ERROR_CODES: Readonly<Record<ToolErrorCode, true>> = {
  unknown_tool: true,
  invalid_input: true,
  execution_failed: true,
  invalid_output: true,
  timeout: true,
  aborted: true,
  not_executed: true,
  denied: true,
  outcome_unknown: true,
};

/**
 * A result of the checkpoint, at `path`, which must answer `call`: a success keeps its output and
 * the `modelOutput` the model reads, if any; an error keeps its code and message (the text the
 * model reads), and loses its `cause` (no data) and `unmappedMessage` (the application's, in
 * the process that ran the call).
 */
export function readResult(value: unknown, path: string, call: ToolCall): ToolResult {
  const result = readObject(value, path);
  const callId = readString(result, "callId", path);
  const name = readString(result, "name", path);
  if (callId !== call.id) {
    refuse(
      keyPath(path, "callId"),
      `is ${JSON.stringify(callId)}, not the id of its call, ${JSON.stringify(call.id)}`,
    );
  }
  if (name !== call.name) {
    refuse(
      keyPath(path, "name"),
      `is ${JSON.stringify(name)}, not the name of its call, ${JSON.stringify(call.name)}`,
    );
  }
  if (readBoolean(result, "ok", path)) {
    const output = readJson(result, "output", path);
    // What the model reads instead, when the tool's toModelOutput mapped the output (issue 18).
    if (own(result, "modelOutput") === undefined) return { callId, name, ok: true, output };
    return { callId, name, ok: true, output, modelOutput: readJson(result, "modelOutput", path) };
  }
  const errorPath = keyPath(path, "error");
  const error = readObject(own(result, "error"), errorPath);
  const code = readString(error, "code", errorPath);
  if (!Object.hasOwn(ERROR_CODES, code)) {
    refuse(
      keyPath(errorPath, "code"),
      `is ${JSON.stringify(code)}, which is no error code this @toolbatch/core knows`,
    );
  }
  const message = readString(error, "message", errorPath);
  return { callId, name, ok: false, error: { code: code as ToolErrorCode, message } };
}

/** A ledger entry of the checkpoint, at `path`, for `call`. */
export function readLedgerEntry(value: unknown, path: string, call: ToolCall): LedgerEntry {
  const entry = readObject(value, path);
  const state = own(entry, "state");
  const startedAt = readTime(entry, "startedAt", path);
  if (state === "started") return { state, startedAt };
  if (state === "settled") {
    const settledAt = readTime(entry, "settledAt", path);
    const result = readResult(own(entry, "result"), keyPath(path, "result"), call);
    return { state, startedAt, settledAt, result };
  }
  return refuse(
    keyPath(path, "state"),
    `is neither "started" nor "settled": got ${JSON.stringify(state) ?? "undefined"}`,
  );
}
