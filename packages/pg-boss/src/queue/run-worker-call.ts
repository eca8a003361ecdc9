import {
  type AnyTool,
  type ExecutionEvent,
  executeBatch,
  type ToolCall,
  type ToolResult,
} from "@toolbatch/core";
import type { CallJobData } from "./queue-protocol.js";

/**
 * Runs one call's tool on a worker through core's own executor, so its result is built exactly as
 * in the process (the output checked for JSON, a throw described the same way), and resolves with
 * what the tool really came to: when the call is answered `timeout` or `aborted` before its tool
 * ends, it waits for the tool to end (the caller holds the call's locks until then).
 *
 * The input is the one the coordinator validated, so it is not validated again (a transforming
 * schema would not accept its own output); the tool sees the coordinator's call and batch id.
 */
export async function runWorkerCall(
  tool: AnyTool,
  data: CallJobData,
  signal: AbortSignal,
): Promise<ToolResult> {
  let released: ((outcome: ToolResult) => void) | undefined;
  const release = new Promise<ToolResult>((resolve) => {
    released = resolve;
  });
  const onEvent = (event: ExecutionEvent) => {
    if (event.type === "call-release") released?.(event.outcome);
  };
  const call: ToolCall = { id: data.call.id, name: data.call.name, input: data.input, index: 0 };
  const [answer] = await executeBatch(
    { provider: "toolbatch-queue", calls: [call], complete: true, turn: null },
    [prevalidated(tool, data)],
    { signal, onEvent, ...(data.timeoutMs !== undefined ? { timeoutMs: data.timeoutMs } : {}) },
  );
  const result = answer as ToolResult;
  // Answered before the tool ended (it may still act): its real end is what the ledger records.
  if (!result.ok && (result.error.code === "timeout" || result.error.code === "aborted")) {
    return release;
  }
  return result;
}

/** The worker's tool, taking its input as validated and giving the tool the coordinator's call. */
function prevalidated(tool: AnyTool, data: CallJobData): AnyTool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: { type: "object" },
    parallel: true,
    validate: (value) => ({ value }),
    execute: (input, context) =>
      tool.execute(input, {
        call: data.call,
        batchId: data.batchId,
        get signal() {
          return context.signal;
        },
      }),
  };
}
