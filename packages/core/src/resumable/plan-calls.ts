import type { ToolCall } from "../batch/tool-call.js";
import { readLockKeys } from "../execution/read-lock-keys.js";
import { validateCall } from "../execution/validate-call.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolSet } from "../tools/tool-set.js";

/** Which of a batch's open calls run now, and which wait for approval. */
export interface CallPlan {
  /** The calls to run now, in call order. */
  readonly run: ToolCall[];
  /** The calls that newly need approval (their request is to be made), in call order. */
  readonly ask: Array<{ readonly call: ToolCall; readonly input: unknown }>;
}

/**
 * Plans the calls of a batch that have no result yet, when nothing decides approvals in the
 * process. A call waits when its approval is `awaited` (pending in the checkpoint) or its tool's
 * `needsApproval` says so now (it joins `ask`); and, as in the process (see `BatchScheduler`), so
 * do the calls the batch's rules order after a waiting one: later calls sharing one of its lock
 * keys, a later `parallel: false` call, and every call after a waiting `parallel: false` one.
 * Those run once what they wait for is decided, on a later resume. A call `approved` by a decision
 * is not asked again. What cannot be read here (unknown tool, invalid input, a lock function or an
 * approval check that throws) runs, so the executor answers it as it would any batch.
 */
export async function planCalls(
  calls: readonly ToolCall[],
  tools: ToolSet,
  options: {
    readonly awaited: ReadonlySet<string>;
    readonly approved: ReadonlySet<string>;
    readonly serial: boolean;
    readonly batchId: string;
  },
): Promise<CallPlan> {
  const run: ToolCall[] = [];
  const ask: CallPlan["ask"] = [];
  const heldKeys = new Set<string>();
  let anyWaits = false;
  let allWait = false;
  for (const call of calls) {
    const tool = tools.get(call.name);
    let waits = options.awaited.has(call.id);
    let keys: readonly string[] = [];
    let barrier = options.serial;
    if (tool && call.inputError === undefined) {
      barrier ||= !tool.parallel;
      const validated = await validateCall(call, tool);
      if (validated.ok) {
        const read = readLockKeys(call, tool, validated.value);
        if (Array.isArray(read)) keys = read;
        if (!waits && !options.approved.has(call.id) && tool.needsApproval) {
          waits = await asksApproval(tool, validated.value, call, options.batchId);
          if (waits) ask.push({ call, input: validated.value });
        }
      }
    }
    if (waits || allWait || (barrier && anyWaits) || keys.some((key) => heldKeys.has(key))) {
      anyWaits = true;
      for (const key of keys) heldKeys.add(key);
      if (barrier) allWait = true;
    } else {
      run.push(call);
    }
  }
  return { run, ask };
}

/** True when the tool's check says the call needs approval; anything else leaves it to the executor. */
async function asksApproval(
  tool: AnyTool,
  input: unknown,
  call: ToolCall,
  batchId: string,
): Promise<boolean> {
  const check = tool.needsApproval as NonNullable<AnyTool["needsApproval"]>;
  if (check === true) return true;
  try {
    return (await check(input as never, { call, batchId })) === true;
  } catch {
    // The executor asks again, and answers the call execution_failed, unrun.
    return false;
  }
}
