import type { ToolCall } from "../batch/tool-call.js";
import type { ToolFailure } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";
import { readLockKeys, readResources } from "./read-lock-keys.js";
import type { RunnableCall } from "./run-call.js";

/**
 * A validated call as its batch runs it: its lock keys, resources, barrier and time limit read
 * once. Or its failure, when its tool's `lock` or `resources` function throws: it does not run.
 */
export function runnableEntry(
  index: number,
  call: ToolCall,
  tool: AnyTool,
  input: unknown,
  serial: boolean,
  timeoutMs: number | undefined,
): RunnableCall | ToolFailure {
  const keys = readLockKeys(call, tool, input);
  if (!Array.isArray(keys)) return keys as ToolFailure;
  const resources = readResources(call, tool, input);
  if (!Array.isArray(resources)) return resources as ToolFailure;
  return {
    index,
    call,
    tool,
    input,
    barrier: serial || !tool.parallel,
    keys,
    resources,
    timeoutMs: tool.timeoutMs ?? timeoutMs,
  };
}
