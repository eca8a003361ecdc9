import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { checkExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { AnyTool } from "../tools/define-tool.js";
import { createToolSet } from "../tools/tool-set.js";
import type { ToolLoopPrepareContext, ToolLoopStepPreparation } from "./tool-loop-hooks.js";
import type { ToolLoopBaseOptions } from "./tool-loop-options.js";

/** What one step runs with: the loop's tools and switch, or what `prepareStep` put instead. */
export interface PreparedLoopStep<Request> {
  readonly tools: readonly AnyTool[];
  readonly parallel: boolean;
  /** `prepareStep`'s change to the step's request, if it made one. */
  readonly request: ((request: Request) => Request) | undefined;
}

type PrepareOptions<Request, Turn, Message> = Pick<
  ToolLoopBaseOptions<unknown, unknown, Request, Message, Turn, unknown>,
  "tools" | "prepareStep" | "batches" | "approve" | "concurrency" | "timeoutMs"
>;

/**
 * Asks `prepareStep`, if given, what step `context.step` runs with, and checks its answer as the
 * loop's own options are checked before the first request.
 *
 * @throws {InvalidOptionError} for an answer that is not an object (or `undefined`), tools that
 *   are not an array, a `request` that is not a function; and what the options' checks throw
 *   (`DuplicateToolError`, `MissingApprovalHandlerError`, `InvalidOptionError` for `parallel`).
 */
export async function prepareLoopStep<Request, Turn, Message>(
  options: PrepareOptions<Request, Turn, Message>,
  parallel: boolean,
  context: ToolLoopPrepareContext<Turn, Message>,
): Promise<PreparedLoopStep<Request>> {
  const answer: ToolLoopStepPreparation<Request> | undefined = await options.prepareStep?.(context);
  if (answer === undefined) return { tools: options.tools, parallel, request: undefined };
  if (typeof answer !== "object" || answer === null) {
    throw new InvalidOptionError(
      "prepareStep",
      answer,
      "a function returning an object or undefined",
    );
  }
  const tools = answer.tools ?? options.tools;
  const { request } = answer;
  if (!Array.isArray(tools)) {
    throw new InvalidOptionError("prepareStep", tools, "a function returning tools as an array");
  }
  if (request !== undefined && typeof request !== "function") {
    throw new InvalidOptionError(
      "prepareStep",
      request,
      "a function returning request as a function",
    );
  }
  const step = { tools, parallel: answer.parallel ?? parallel, request };
  // As before the first request: with `batches`, a missing `approve` suspends instead.
  checkExecuteBatchOptions(createToolSet(options.batches ? [] : tools), {
    ...options,
    parallel: step.parallel,
  });
  if (options.batches) createToolSet(tools);
  return step;
}

/**
 * Step's request: the loop's (`base`: its tools and switch declared) with the history, or, when
 * `prepareStep` changed something, the first request changed by `prepared.request`, then the
 * step's tools and switch declared (merged with what the request says, as `withTools` does), then
 * the history set. Declared from the first request each time: adapters keep a request's own tools.
 */
export function stepRequest<Request, Message>(
  adapter: {
    withHistory(request: Request, history: readonly Message[]): Request;
    withTools(request: Request, tools: readonly AnyTool[], options: { parallel: boolean }): Request;
  },
  prepared: PreparedLoopStep<Request>,
  loop: {
    readonly request: Request;
    readonly base: Request;
    readonly history: readonly Message[];
    readonly tools: readonly AnyTool[];
    readonly parallel: boolean;
  },
): Request {
  const { request, history } = loop;
  if (prepared.tools === loop.tools && prepared.parallel === loop.parallel && !prepared.request) {
    return adapter.withHistory(loop.base, history);
  }
  const changed = prepared.request
    ? prepared.request(adapter.withHistory(request, history))
    : request;
  const declared = adapter.withTools(changed, prepared.tools, { parallel: prepared.parallel });
  return adapter.withHistory(declared, history);
}
