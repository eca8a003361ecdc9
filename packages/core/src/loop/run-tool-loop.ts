import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { ToolLoopError } from "../errors/tool-loop-error.js";
import { checkExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import { createToolSet } from "../tools/tool-set.js";
import { type LoopTurnContext, runLoopTurn } from "./run-loop-turn.js";
import type { ToolLoopOptions } from "./tool-loop-options.js";
import type {
  ToolLoopPartialResult,
  ToolLoopResult,
  ToolLoopStep,
  ToolLoopStopReason,
} from "./tool-loop-result.js";

/**
 * Runs the tool loop with the application's own vendor client: declare the tools and the parallel
 * switch, send, read the calls, run them, append the follow-up, and repeat until the model stops
 * calling tools, a turn is cut off, the signal aborts or `maxSteps` turns ran. When `send` returns
 * the vendor's stream, calls start executing as soon as their arguments are complete.
 *
 * @throws {ToolLoopError} when the loop cannot go on: `send` threw or rejected, the stream threw
 *   or ended before the vendor ended the turn, `send` returned what the adapter does not read
 *   (`UnexpectedResponseError`), or an adapter could not read or answer a turn. `error.cause` is the original error and
 *   `error.result` what the loop did until then: the history up to the last finished step (valid
 *   for the vendor), the steps, and the turn that broke off with the result of every call of it
 *   that ran (`error.result.interrupted`). Invalid options and tool sets throw their own errors
 *   before anything is sent (`InvalidOptionError` for `concurrency`, `timeoutMs`, `parallel`,
 *   `approve`, `maxSteps`, as `executeBatch` checks them); so does a tool that may need approval
 *   without `approve` (`MissingApprovalHandlerError`).
 *
 * @example
 * const { history, finalTurn, stopReason } = await runToolLoop({
 *   adapter: openaiChat(), tools, request: { model, messages },
 *   send: (request) => client.chat.completions.create(request),
 * });
 */
export async function runToolLoop<
  Response,
  StreamEvent,
  Request,
  Message,
  Turn,
  Sent = Response | AsyncIterable<StreamEvent>,
>(
  options: ToolLoopOptions<Response, StreamEvent, Request, Message, Turn, Sent>,
): Promise<ToolLoopResult<Request, Message, Turn>> {
  const { adapter, tools, send, signal, onEvent, approve } = options;
  const parallel = options.parallel !== false;
  const maxSteps = options.maxSteps ?? 10;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new InvalidOptionError("maxSteps", maxSteps, "a positive integer");
  }
  // Each step's executor checks these too, but only once its request came back: a loop with an
  // option no executor takes must fail before anything is sent (issue 16).
  checkExecuteBatchOptions(createToolSet(tools), options);
  const base = adapter.withTools(options.request, tools, { parallel });
  const history = [...adapter.history(options.request)];
  const steps: ToolLoopStep<Turn, Message>[] = [];
  const sofar = (
    interrupted?: ToolLoopStep<Turn, Message>,
  ): ToolLoopPartialResult<Request, Message, Turn> => ({
    history,
    request: adapter.withHistory(base, history),
    steps,
    ...(interrupted ? { interrupted } : {}),
  });
  const aborted = (
    interrupted?: ToolLoopStep<Turn, Message>,
  ): ToolLoopResult<Request, Message, Turn> => ({
    stopReason: "aborted",
    finalTurn: steps.at(-1)?.batch.turn,
    ...sofar(interrupted),
  });

  for (let index = 0; ; index++) {
    // An aborted signal sends nothing more.
    if (signal?.aborted) return aborted();
    const context: LoopTurnContext<Response, StreamEvent, Request, Message, Turn, Sent> = {
      adapter,
      tools,
      send,
      signal,
      execute: {
        parallel,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(approve ? { approve } : {}),
        ...(onEvent
          ? { onEvent: (event: ExecutionEvent) => onEvent({ ...event, step: index }) }
          : {}),
      },
    };
    const outcome = await runLoopTurn(context, adapter.withHistory(base, history), index);
    if (outcome.kind !== "finished") {
      // A failure after the caller aborted is the abort's doing (an SDK's abort error, ...).
      if (outcome.kind === "aborted" || signal?.aborted) return aborted(outcome.step);
      throw new ToolLoopError(index, outcome.error, sofar(outcome.step));
    }
    const { step } = outcome;
    history.push(...step.followUp);
    steps.push(step);

    const { batch } = step;
    // The caller's abort wins over whatever the turn said: abort is one behaviour.
    if (signal?.aborted) return aborted();
    const stopReason: Exclude<ToolLoopStopReason, "aborted"> | undefined = !batch.complete
      ? "incomplete"
      : batch.calls.length === 0
        ? "done"
        : index + 1 >= maxSteps
          ? "max-steps"
          : undefined;
    if (stopReason) return { stopReason, finalTurn: batch.turn, ...sofar() };
  }
}
