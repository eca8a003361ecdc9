import type { ToolCall } from "../batch/tool-call.js";
import type { ToolFailure } from "../batch/tool-result.js";
import type { AnyTool, LockKeys } from "../tools/define-tool.js";
import { failed } from "./call-failures.js";

const NO_KEYS: readonly string[] = [];

/**
 * The distinct lock keys of a validated call, as its tool's `lock` function gives them for the
 * call's input, or the call's failure when the lock function throws.
 */
export function readLockKeys(
  call: ToolCall,
  tool: AnyTool,
  input: unknown,
): readonly string[] | ToolFailure {
  return readKeys(call, tool.lock, input, "its lock function");
}

/**
 * The distinct resources of a validated call, as its tool's `resources` function gives them for
 * the call's input, or the call's failure when that function throws.
 */
export function readResources(
  call: ToolCall,
  tool: AnyTool,
  input: unknown,
): readonly string[] | ToolFailure {
  return readKeys(call, tool.resources, input, "its resources function");
}

function readKeys(
  call: ToolCall,
  read: ((input: never) => LockKeys) | undefined,
  input: unknown,
  source: string,
): readonly string[] | ToolFailure {
  if (!read) return NO_KEYS;
  try {
    return normalizeKeys(read(input as never));
  } catch (thrown) {
    return failed(call, thrown, source);
  }
}

// Sorted: a limiter takes keys in this order (see ResourceLimiter), the scheduler in any.
function normalizeKeys(keys: LockKeys): readonly string[] {
  if (keys === undefined || keys === null) return NO_KEYS;
  if (typeof keys === "string") return [keys];
  return [...new Set(keys)].sort();
}
