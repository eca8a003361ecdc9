import { type AnyTool, defineTool, jsonSchema } from "../../src/index.js";
import { batchOf } from "../support.js";

// The batch and tools of run-batch-process.test.ts, shared by the test and its child process.

/** `quick`, then `hang`: run one after the other (parallel: false), so saves come in order. */
export const killedBatch = batchOf([{ name: "quick" }, { name: "hang" }]);

/** The two tools; `hang` does what `run` says (the child hangs, the resuming test returns). */
export function killedBatchTools(
  idempotent: boolean,
  run: (callId: string) => unknown,
  ran: (callId: string) => void = () => {},
): AnyTool[] {
  const input = jsonSchema({ type: "object" });
  return [
    defineTool({
      name: "quick",
      description: "",
      input,
      execute: (_input, { call }) => {
        ran(call.id);
        return "quick";
      },
    }),
    defineTool({
      name: "hang",
      description: "",
      input,
      idempotent,
      execute: (_input, { call }) => {
        ran(call.id);
        return run(call.id);
      },
    }),
  ];
}
