import { readRelayed } from "../batch/relayed-result.js";
import type { ToolCall } from "../batch/tool-call.js";
import { type ToolResult, toolFailure, toolSuccess } from "../batch/tool-result.js";
import type { ResourceRelease } from "../limits/resource-limiter.js";
import type { AnyTool, ToolExecuteContext } from "../tools/define-tool.js";
import { createBatchId } from "./batch-id.js";
import { failed, MAY_STILL_ACT } from "./call-failures.js";
import { findSerializationProblem } from "./check-serializable.js";
import type { PresentResult } from "./present-result.js";

/** A call that passed validation and may run. */
export interface RunnableCall {
  /** Position in the batch; results are stored by it. */
  readonly index: number;
  readonly call: ToolCall;
  readonly tool: AnyTool;
  /** The validated input `execute` receives. */
  readonly input: unknown;
  /** True when the call must run alone (`parallel: false` on the tool or the batch). */
  readonly barrier: boolean;
  /** Lock keys from the tool's `lock`, sorted. */
  readonly keys: readonly string[];
  /** Resources from the tool's `resources`, sorted; limited only by a `limiter`. */
  readonly resources: readonly string[];
  /** Time limit in milliseconds, if any. */
  readonly timeoutMs: number | undefined;
  /** True while it waits for an approval decision (see `gateCall`): it may not start. */
  pending?: boolean;
  /** Position in the scheduler, once it joins it. */
  position?: number;
  /** Made when the tool first reads its signal; see `CallContext`. */
  controller?: AbortController;
  /** Its time limit while it runs. */
  timer?: ReturnType<typeof setTimeout>;
  /** When it was answered before its tool ended (timeout, abort), on the `now()` clock. */
  abandonedAt?: number;
  /** When it joined the scheduler, if a call was abandoned then (see `HeldUpCalls`). */
  joinedAt?: number;
  /** While it waits held up by an abandoned call: when its own limit for that wait runs out. */
  holdTimer?: ReturnType<typeof setTimeout>;
  /** While it waits at the limiter: what gives up the wait (see `ResourceGate`). */
  wait?: AbortController | undefined;
  /** While it waits at the limiter: when its own limit for that wait runs out. */
  waitTimer?: ReturnType<typeof setTimeout> | undefined;
  /** What the limiter granted it, given back when its tool really ends. */
  grant?: ResourceRelease | undefined;
}

/**
 * The batch run a call belongs to, as its tools see it: its id, made when a tool first asks; and
 * how its results are shown to the model, so that a ledger records what the model will read.
 */
export interface BatchIdentity {
  id?: string;
  readonly present?: PresentResult | undefined;
}

/**
 * How a running call ends: with its result, and for a timeout with the reason its signal is
 * aborted with. The batch run's `end` keeps only the first result of a call.
 */
export type EndCall = (entry: RunnableCall, result: ToolResult, timeout?: DOMException) => void;

// setTimeout fires at once for delays past 2^31 - 1 ms; longer limits mean no limit. A literal,
// because bundlers keep `2 ** 31 - 1` in bundles that never run a batch.
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs one call's tool and ends the call through `end`: with the checked output or the failure
 * when the tool returns or throws, or with a `timeout` failure when its time limit passes first.
 * The tool is called at once, before this returns its promise.
 */
export async function runCall(
  entry: RunnableCall,
  end: EndCall,
  batch: BatchIdentity,
): Promise<void> {
  const { call, input, timeoutMs } = entry;
  if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
    entry.timer = setTimeout(() => {
      const late = `Tool "${call.name}" did not finish within ${timeoutMs} ms.`;
      const reason = new DOMException(late, "TimeoutError");
      // It was asked to stop; whether it does is up to the tool (issue 15 item 4).
      const message = `${late} ${MAY_STILL_ACT}`;
      // The call is answered now. A tool that ignores its signal may still run: the batch does
      // not wait for it, but the call keeps its locks, barrier and place until it ends.
      end(entry, toolFailure(call, "timeout", message, reason), reason);
    }, timeoutMs);
  }
  let result: ToolResult;
  try {
    const context = new CallContext(entry, batch);
    result = checkOutput(call, await entry.tool.execute(input as never, context));
  } catch (thrown) {
    result = failed(call, thrown);
  }
  end(entry, batch.present ? batch.present(result, call) : result);
}

/** Aborts a call's signal, making it first if the tool has not read it yet (it may still). */
export function abortCall(entry: RunnableCall, reason: unknown): void {
  entry.controller ??= new AbortController();
  entry.controller.abort(reason);
}

/**
 * The context a tool's `execute` receives. Every call gets its own signal (tools add abort
 * listeners to it, fetch does, and a shared one would collect them forever), made only when the
 * tool reads it: most calls never do, and an AbortController per call is the executor's largest
 * fixed cost. A signal made after the call was aborted or timed out is made aborted.
 *
 * A class, not an object literal with a getter: V8 builds those on a slow path, per call.
 */
class CallContext implements ToolExecuteContext {
  // Declared only: class fields would be emitted as definitions in front of the constructor's.
  declare private readonly entry: RunnableCall;
  declare private readonly batch: BatchIdentity;
  declare readonly call: ToolCall;
  constructor(entry: RunnableCall, batch: BatchIdentity) {
    this.entry = entry;
    this.batch = batch;
    this.call = entry.call;
  }
  // Made when first read, like the signal: most tools never ask.
  get batchId(): string {
    this.batch.id ??= createBatchId();
    return this.batch.id;
  }
  get signal(): AbortSignal {
    this.entry.controller ??= new AbortController();
    return this.entry.controller.signal;
  }
}

function checkOutput(call: ToolCall, output: unknown): ToolResult {
  const relayed = readRelayed(output);
  if (relayed) {
    if (!relayed.ok) return toolFailure(call, relayed.error.code, relayed.error.message);
    const checked = checkOutput(call, relayed.output);
    // What the model reads, when the executor that ran the call mapped it (toModelOutput).
    const { modelOutput } = relayed;
    return checked.ok &&
      modelOutput !== undefined &&
      findSerializationProblem(modelOutput) === undefined
      ? { ...checked, modelOutput }
      : checked;
  }
  const problem = findSerializationProblem(output);
  if (problem === undefined) return toolSuccess(call, output);
  return toolFailure(
    call,
    "invalid_output",
    `Tool "${call.name}" returned a value that cannot be serialized as JSON (${problem}).`,
  );
}
