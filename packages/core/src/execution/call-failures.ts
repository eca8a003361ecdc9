import type { ToolCall } from "../batch/tool-call.js";
import { type ToolFailure, type ToolResult, toolFailure } from "../batch/tool-result.js";
import type { ResourceWait } from "../limits/resource-limiter.js";
import type { StandardSchemaIssue } from "../tools/standard-schema.js";
import type { ToolSet } from "../tools/tool-set.js";
import { describeThrown, readableText } from "../values/describe-thrown.js";
import type { Hold } from "./batch-scheduler.js";

// The failure results the executor writes, and the texts the model reads in them.

/**
 * Said of a call answered before its tool ended (timeout, abort): the tool was asked to stop, but
 * one that ignores its signal may still act, so the model must not retry a write blindly.
 */
export const MAY_STILL_ACT =
  "It may still be running, and what it does may already have taken effect or may still take effect: check before calling it again.";

const UNREADABLE_ISSUE =
  "(the arguments as a whole): the validator reported an issue that cannot be read";

/**
 * The result of a call whose tool threw or, before the tool ran, its input validator or lock
 * function (`source`: "its input validator", "its lock function").
 */
export function failed(call: ToolCall, thrown: unknown, source?: string): ToolFailure {
  const where = source === undefined ? "" : ` before it ran: ${source} threw`;
  return toolFailure(
    call,
    "execution_failed",
    `Tool "${call.name}" failed${where}: ${describeThrown(thrown)}`,
    thrown,
  );
}

/**
 * The result of a call whose input validator, approval check or approve handler (`source`)
 * misbehaved without throwing (`what` it did): the tool did not run, and the fault is the
 * application's, not the arguments'.
 */
export function failedBefore(
  call: ToolCall,
  source: string,
  what: string,
  cause?: unknown,
): ToolFailure {
  return toolFailure(
    call,
    "execution_failed",
    `Tool "${call.name}" failed before it ran: ${source} ${what}.`,
    cause,
  );
}

/**
 * The result of a call whose approval was refused (in the process, or by a decision given to
 * `resumeBatch`): the reason, if any, and that the model must not retry unasked.
 */
export function denied(call: ToolCall, reason: string | undefined): ToolFailure {
  const why = reason ? ` The reason given: ${JSON.stringify(reason)}.` : "";
  return toolFailure(
    call,
    "denied",
    `Tool "${call.name}" was not run: running this call was denied.${why} Do not call it again unless the user asks you to.`,
  );
}

/** The result of a running call whose batch was cancelled (`reason`: the signal's). */
export function cancelled(call: ToolCall, reason: unknown): ToolFailure {
  return toolFailure(
    call,
    "aborted",
    `Tool "${call.name}" was cancelled before it finished. ${MAY_STILL_ACT}`,
    reason,
  );
}

/** The result of a call that never started (`why`: the batch was cancelled, the turn cut off). */
export function notRun(call: ToolCall, why: string, cause?: unknown): ToolResult {
  return toolFailure(call, "not_executed", `Tool "${call.name}" was not run: ${why}.`, cause);
}

/**
 * The result of a call that waited its own time limit for a call that is past its own but has not
 * ended (see `HeldUpCalls`): nothing of it ran, and the text says what was still busy.
 */
export function heldUp(
  entry: {
    readonly call: ToolCall;
    readonly barrier: boolean;
    readonly timeoutMs: number | undefined;
  },
  hold: Hold<{ readonly call: ToolCall; readonly timeoutMs: number | undefined }>,
  concurrency: number,
): ToolResult {
  const holder = `call "${hold.holder.call.id}" (tool "${hold.holder.call.name}")`;
  let busy: string;
  if (hold.kind === "lock") {
    busy = `the lock "${hold.key}" it needs is still held by ${holder}, which ran past its time limit and has not ended yet`;
  } else if (hold.kind === "concurrency") {
    busy = `every place under the batch's concurrency limit (${concurrency} at once) is taken by calls that ran past their time limit and have not ended yet, ${holder} among them`;
  } else if (entry.barrier) {
    busy = `it runs alone (parallel: false), and ${holder} has not ended yet, though it ran past its time limit`;
  } else {
    busy = `${holder} runs alone (parallel: false) and has not ended yet, though it ran past its time limit`;
  }
  const waited =
    entry.timeoutMs !== undefined
      ? `it waited its own limit of ${entry.timeoutMs} ms for it`
      : `it has no time limit of its own, so it waited as long as that call's limit, ${hold.holder.timeoutMs} ms`;
  return notRun(entry.call, `${busy}; ${waited}, and nothing of it ran`);
}

/**
 * The result of a call that waited its own time limit for a shared resource's budget or a lock
 * key held in another batch (see `ResourceGate`) and never got it: nothing of it ran. `wait` is
 * what the limiter last said it waited for; a limiter that said nothing leaves the list of what
 * the call uses.
 */
export function waitedOut(
  entry: {
    readonly call: ToolCall;
    readonly keys: readonly string[];
    readonly resources: readonly string[];
  },
  timeoutMs: number,
  wait: ResourceWait | undefined,
): ToolResult {
  const name = JSON.stringify(wait?.resource);
  let busy: string;
  if (wait === undefined) {
    const uses = [...entry.keys, ...entry.resources].map((key) => JSON.stringify(key)).join(", ");
    busy = `the shared resources and locks it uses (${uses}) had no room for it`;
  } else if (wait.reason === "lock") {
    busy = `the lock ${name} it needs is held by a call of another batch sharing the limiter, which has not ended yet`;
  } else if (wait.reason === "concurrency") {
    busy = `the resource ${name} already had as many calls in flight as its limit allows`;
  } else if (wait.reason === "rate") {
    busy = `the resource ${name} had used up its rate limit (starts per interval)`;
  } else {
    busy = `calls that came before it were still waiting for ${name}`;
  }
  return notRun(
    entry.call,
    `${busy}; it waited its own limit of ${timeoutMs} ms for it, and nothing of it ran`,
  );
}

/** The result of a call that names no tool of the set; it lists the tools there are. */
export function unknownTool(call: ToolCall, toolSet: ToolSet): ToolResult {
  const available = toolSet.names.length > 0 ? toolSet.names.join(", ") : "(none)";
  return toolFailure(
    call,
    "unknown_tool",
    `There is no tool named "${call.name}". Available tools: ${available}.`,
  );
}

/**
 * Writes a schema's issues as a list a model can act on: where, then what is wrong. Total, like
 * `describeThrown`: an issue whose message or path cannot be read (a throwing getter, a message
 * that is no string) is described as well as it can be, never thrown over.
 */
export function describeIssues(
  toolName: string,
  issues: ReadonlyArray<StandardSchemaIssue>,
): string {
  let lines: string[];
  try {
    lines = issues.map(describeIssue);
  } catch {
    // The list itself could not be read (a Proxy): its length or its items.
    lines = [`- ${UNREADABLE_ISSUE}`];
  }
  return `The arguments for tool "${toolName}" do not match its input schema:\n${lines.join("\n")}\nFix these and call the tool again.`;
}

function describeIssue(issue: StandardSchemaIssue): string {
  try {
    return `- ${describePath(issue.path)}: ${readableText(issue.message)}`;
  } catch {
    return `- ${UNREADABLE_ISSUE}`;
  }
}

function describePath(path: StandardSchemaIssue["path"]): string {
  if (!path || path.length === 0) return "(the arguments as a whole)";
  let text = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}
