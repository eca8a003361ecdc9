// Compiled with exactOptionalPropertyTypes by exact-optional-options.test.ts (issue 18): every
// optional option of core outside the loop takes a value that may be undefined.
import { z } from "zod";
import { createFileBatchStore } from "../../src/file-store.js";
import {
  type ApprovalDecision,
  type ApproveHandler,
  createApprovalVerifier,
  createMemoryBatchStore,
  defineTool,
  type ErrorTextHook,
  type ExecutionEvent,
  executeBatch,
  jsonSchema,
  type LockKeys,
  resumableBatches,
  resumeBatch,
  runBatch,
  startBatchExecution,
  type ToolCallBatch,
} from "../../src/index.js";

declare const maybe: {
  signal: AbortSignal | undefined;
  number: number | undefined;
  boolean: boolean | undefined;
  string: string | undefined;
  onEvent: ((event: ExecutionEvent) => void) | undefined;
  approve: ApproveHandler | undefined;
  errorText: ErrorTextHook | undefined;
  lock: ((input: { city: string }) => LockKeys) | undefined;
  toModelOutput: ((output: number) => unknown) | undefined;
};
declare const batch: ToolCallBatch;

export async function compiles(): Promise<void> {
  const tool = defineTool({
    name: "lookup",
    description: "",
    input: z.object({ city: z.string() }),
    execute: () => 1,
    jsonSchema: undefined,
    parallel: maybe.boolean,
    lock: maybe.lock,
    timeoutMs: maybe.number,
    needsApproval: maybe.boolean,
    idempotent: maybe.boolean,
    toModelOutput: maybe.toModelOutput,
  });
  defineTool({
    name: "plain",
    description: "",
    input: jsonSchema<{ q: string }>({ type: "object" }, { validate: undefined }),
    execute: () => null,
  });
  const options = {
    signal: maybe.signal,
    timeoutMs: maybe.number,
    concurrency: maybe.number,
    parallel: maybe.boolean,
    approve: maybe.approve,
    onEvent: maybe.onEvent,
    errorText: maybe.errorText,
  };
  await executeBatch(batch, [tool], options);
  await startBatchExecution([tool], options).finish(batch);
  const store = createMemoryBatchStore();
  await runBatch(batch, [tool], {
    ...options,
    store: maybe.string ? store : undefined,
    batchId: maybe.string,
    signer: undefined,
  });
  await resumeBatch({}, [tool], {
    ...options,
    store: undefined,
    decisions: undefined,
    verifier: undefined,
    signer: undefined,
  });
  resumableBatches({ store: undefined, signer: undefined, batchId: undefined });
  createApprovalVerifier({ signer: undefined });
  createFileBatchStore("dir", { staleLockMs: maybe.number });
  const denial: ApprovalDecision = {
    callId: "c",
    digest: "d",
    approved: false,
    reason: maybe.string,
    signature: maybe.string,
  };
  const answer: ReturnType<ApproveHandler> = { approved: false, reason: maybe.string };
  void denial;
  void answer;
}
