/**
 * The schema URL of the GenAI semantic conventions these spans follow (status Development). Give it
 * to the tracer (`trace.getTracer(name, version, { schemaUrl: GEN_AI_SCHEMA_URL })`), so a backend
 * knows which version of the attribute names it reads.
 */
export const GEN_AI_SCHEMA_URL = "https://opentelemetry.io/schemas/gen-ai/1.42.0";

/**
 * Attribute, span and event names: the GenAI conventions' (`gen_ai.*`, `error.type`), and
 * toolbatch's own (`toolbatch.*`) where the conventions define nothing (a batch of calls, a loop's
 * step, approvals, waits, a tool that ran on after its call was answered).
 */
export const ATTR = {
  operationName: "gen_ai.operation.name",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolType: "gen_ai.tool.type",
  toolDescription: "gen_ai.tool.description",
  toolArguments: "gen_ai.tool.call.arguments",
  toolResult: "gen_ai.tool.call.result",
  errorType: "error.type",
  callIndex: "toolbatch.call.index",
  batchSize: "toolbatch.batch.size",
  batchProvider: "toolbatch.batch.provider",
  batchComplete: "toolbatch.batch.complete",
  batchFailed: "toolbatch.batch.failed",
  batchId: "toolbatch.batch.id",
  loopStep: "toolbatch.loop.step",
  approvalApproved: "toolbatch.approval.approved",
  approvalReason: "toolbatch.approval.reason",
  approvalWaitMs: "toolbatch.approval.wait_ms",
  waitResource: "toolbatch.wait.resource",
  waitReason: "toolbatch.wait.reason",
  releaseOutcome: "toolbatch.release.outcome",
  releaseRanMs: "toolbatch.release.ran_ms",
} as const;

/** Span names. `execute_tool {gen_ai.tool.name}` is the conventions'; the others are toolbatch's. */
export const SPAN = {
  batch: "toolbatch.batch",
  tool: (name: string) => `execute_tool ${name}`,
  release: (name: string) => `toolbatch.release ${name}`,
} as const;

/** Span event names (on a call's `execute_tool` span). */
export const EVENT = {
  approvalRequested: "toolbatch.approval.requested",
  approvalDecided: "toolbatch.approval.decided",
  wait: "toolbatch.wait",
  started: "toolbatch.call.started",
} as const;
