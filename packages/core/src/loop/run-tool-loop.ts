import type { ToolCallBatch } from "../batch/tool-call.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { ToolLoopError } from "../errors/tool-loop-error.js";
import { checkExecuteBatchOptions } from "../execution/execute-batch-options.js";
import { type ExecutionEvent, now } from "../execution/execution-events.js";
import { createResourceLimiter } from "../limits/create-resource-limiter.js";
import type { BatchOutcome } from "../resumable/batch-outcome.js";
import { createToolSet } from "../tools/tool-set.js";
import type { LoopBatches } from "./loop-batches.js";
import { checkLoopHooks, createLoopProgress, sumUsage } from "./loop-progress.js";
import { loopStopReason } from "./loop-stop-reason.js";
import { prepareLoopStep, stepRequest } from "./prepare-loop-step.js";
import { type LoopTurnContext, runLoopTurn } from "./run-loop-turn.js";
import { createStepAccess } from "./step-access.js";
import {
  TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
  type ToolLoopCheckpoint,
} from "./tool-loop-checkpoint.js";
import type { ToolLoopOptions } from "./tool-loop-options.js";
import type { ToolLoopPartialResult, ToolLoopResult, ToolLoopStep } from "./tool-loop-result.js";

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
 *   `approve`, `maxSteps`, as `executeBatch` checks them, a hook that is not a function, `batches`, missing for a
 *   `resume`, and `decisions` for a checkpoint between steps);
 *   `MissingApprovalHandlerError` when a tool may need approval and neither `approve` nor
 *   `batches` is given; so does a `resume` checkpoint that
 *   cannot be read or is another vendor's (`InvalidCheckpointError`, `CheckpointVersionError`)
 *   and a decision that does not match its pending call (`ApprovalMismatchError`).
 *
 * Approvals: with `approve`, calls needing approval are decided in the process. Without it and
 * with `batches: resumableBatches()`, the loop suspends on them (issue 16): the rest of the turn
 * runs (`runBatch`), and the loop returns `stopReason: "awaiting-approval"` with a `checkpoint`
 * (plain JSON) and the `pending` requests; `runToolLoop({ adapter, tools, send, resume:
 * checkpoint, decisions, batches })` continues it, in any process, sending the vendor all the
 * turn's results in one follow-up. `batches` is passed in so that a loop that never suspends
 * does not bundle that code.
 *
 * Progress and control: `onStepStart`, `onTextDelta` and `onStepFinish` report each step as it
 * goes (not awaited); `prepareStep` may change a step's tools, parallel switch and request;
 * `stopWhen` may stop the loop after a step (`stopReason: "stopped"`). The result's `text` is the
 * last turn's text and `usage` the tokens of every answer, summed, on every vendor.
 *
 * Crashes: `onStep` hands out the loop's state (a `ToolLoopCheckpoint`) after every finished step
 * and, with `batches`, before each step's calls run; `resume` continues from either in another
 * process, never running a finished step or a settled call again.
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
  const Request,
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
  const { batches } = options;
  if (batches !== undefined && typeof batches?.run !== "function") {
    throw new InvalidOptionError("batches", batches, "what resumableBatches() returns");
  }
  // Asked before the approvals: a resume is what needs `batches` here.
  if (options.resume !== undefined && !batches) {
    throw new InvalidOptionError(
      "batches",
      batches,
      "given to resume a checkpoint: pass `batches: resumableBatches()`",
    );
  }
  // Each step's executor checks these too, but only once its request came back: a loop with an
  // option no executor takes must fail before anything is sent (issue 16). With `batches`, a
  // missing `approve` is no error: a call needing approval suspends the loop instead.
  checkExecuteBatchOptions(createToolSet(batches ? [] : tools), options);
  // The tools are checked whatever the options (DuplicateToolError, ...).
  if (batches) createToolSet(tools);
  checkLoopHooks(options);
  const { onStep, stopWhen } = options;
  const progress = createLoopProgress(options);
  const resumed =
    options.resume === undefined || !batches
      ? undefined
      : batches.readCheckpoint(options.resume, adapter.provider);
  if (resumed && !resumed.batch && (options.decisions?.length ?? 0) > 0) {
    throw new InvalidOptionError(
      "decisions",
      options.decisions,
      "none: the checkpoint is between steps, with no approvals pending",
    );
  }
  const request = resumed ? (resumed.request as Request) : (options.request as Request);
  const base = adapter.withTools(request, tools, { parallel });
  const history = resumed ? [...(resumed.history as Message[])] : [...adapter.history(request)];
  const steps: ToolLoopStep<Turn, Message>[] = [];
  /** What the loop did until now, with the turn that broke off or the one that suspended. */
  const sofar = (
    interrupted?: ToolLoopStep<Turn, Message>,
    suspended?: ToolLoopStep<Turn, Message>,
  ): ToolLoopPartialResult<Request, Message, Turn> => ({
    history,
    request: adapter.withHistory(base, history),
    steps,
    ...(interrupted ? { interrupted: access ? access.attach(interrupted) : interrupted } : {}),
    text: (suspended ?? steps.at(-1))?.text,
    usage: sumUsage([...steps, interrupted, suspended]),
  });
  const aborted = (
    interrupted?: ToolLoopStep<Turn, Message>,
  ): ToolLoopResult<Request, Message, Turn> => ({
    stopReason: "aborted",
    finalTurn: steps.at(-1)?.batch.turn,
    ...sofar(interrupted),
  });
  /** Throws what a progress hook threw during step `index`, with what the loop holds. */
  const failIfHookFailed = (
    index: number,
    result: ToolLoopPartialResult<Request, Message, Turn>,
  ) => {
    const { failure } = progress;
    if (failure) throw new ToolLoopError(index, failure.error, result);
  };
  const prepare = async (index: number) => {
    try {
      return await prepareLoopStep<Request, Turn, Message>(options, parallel, {
        step: index,
        steps,
        tools,
      });
    } catch (error) {
      throw new ToolLoopError(index, error, sofar());
    }
  };
  // One limiter for every step of the run: a tool answered `timeout` that ignores its signal
  // still holds its lock keys, and the next step (where the model retries it) must wait for them.
  const limiter = options.limiter ?? createResourceLimiter({});
  const { audit } = options;
  const access = audit && createStepAccess();
  const execute = (index: number, parallel: boolean) => ({
    parallel,
    limiter,
    ...(audit ? { audit } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(approve ? { approve } : {}),
    ...(options.errorText ? { errorText: options.errorText } : {}),
    ...(onEvent || access
      ? {
          onEvent: (event: ExecutionEvent) => {
            access?.hear(event, index);
            onEvent?.({ ...event, step: index });
          },
        }
      : {}),
  });
  /** The loop stopped on a turn whose calls await decisions: its checkpoint, plain JSON. */
  const awaiting = (
    kept: LoopBatches,
    step: ToolLoopStep<Turn, Message>,
    outcome: Extract<BatchOutcome, { status: "suspended" }>,
  ): ToolLoopResult<Request, Message, Turn> => {
    let checkpoint: Extract<ToolLoopCheckpoint, { readonly batch: object }>;
    try {
      // Read back as a resume reads it: what is returned is what a resume will see.
      checkpoint = kept.writeCheckpoint({
        provider: adapter.provider,
        request,
        history,
        step: step.index,
        sentAt: step.sentAt,
        receivedAt: step.receivedAt,
        streamed: step.streamed,
        batch: outcome.checkpoint,
      }) as typeof checkpoint;
    } catch (error) {
      throw new ToolLoopError(step.index, error, sofar(step));
    }
    const { pending } = outcome;
    const result: ToolLoopResult<Request, Message, Turn> = {
      stopReason: "awaiting-approval",
      finalTurn: step.batch.turn,
      checkpoint,
      pending,
      ...sofar(undefined, step),
    };
    failIfHookFailed(step.index, result);
    return result;
  };
  /** Hands `onStep` the loop's state between steps: `next` is the step to send. */
  const between = async (next: number) => {
    if (!onStep) return;
    const fields = { provider: adapter.provider, request, history: [...history], step: next };
    await onStep(
      batches
        ? batches.writeCheckpoint(fields)
        : { schemaVersion: TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION, ...fields },
    );
  };
  /**
   * Appends a finished step and hands `onStep` the state after it; how the loop stops after it,
   * if it does.
   */
  const finish = async (
    finished: ToolLoopStep<Turn, Message>,
  ): Promise<ToolLoopResult<Request, Message, Turn> | undefined> => {
    const step = access ? access.attach(finished) : finished;
    history.push(...step.followUp);
    steps.push(step);
    try {
      await between(step.index + 1);
    } catch (error) {
      throw new ToolLoopError(step.index, error, sofar());
    }
    progress.finish(step);
    // The caller's abort wins over whatever the turn said: abort is one behaviour.
    if (signal?.aborted) return aborted();
    let stopReason: Awaited<ReturnType<typeof loopStopReason>>;
    try {
      stopReason = await loopStopReason(step, steps, maxSteps, stopWhen);
    } catch (error) {
      throw new ToolLoopError(step.index, error, sofar());
    }
    const stop: ToolLoopResult<Request, Message, Turn> | undefined = stopReason
      ? { stopReason, finalTurn: step.batch.turn, ...sofar() }
      : undefined;
    failIfHookFailed(step.index, stop ?? sofar());
    return stop;
  };

  let first = resumed ? resumed.step : 0;
  if (resumed?.batch && batches) {
    // The step in progress: decisions checked (ApprovalMismatchError before anything runs or is
    // sent), then what is left of its batch runs, from the newest state its store holds; calls
    // answered there never run again.
    const { batch: checkpoint } = resumed;
    const prepared = await prepare(resumed.step);
    const outcome = await batches.resume(checkpoint, prepared.tools, {
      ...execute(resumed.step, prepared.parallel),
      ...(signal ? { signal } : {}),
      step: resumed.step,
      decisions: options.decisions ?? [],
    });
    const batch = checkpoint.batch as ToolCallBatch<Turn>;
    const step = (results: ToolLoopStep["results"], followUp: readonly Message[]) => ({
      index: resumed.step,
      batch,
      results,
      followUp,
      sentAt: resumed.sentAt,
      receivedAt: resumed.receivedAt,
      finishedAt: now(),
      streamed: resumed.streamed,
      text: batch.text,
      // Its tokens were counted by the run that received the turn.
      usage: undefined,
    });
    if (outcome.status === "suspended") return awaiting(batches, step([], []), outcome);
    let followUp: Message[];
    try {
      followUp = adapter.toFollowUp(batch, outcome.results);
    } catch (error) {
      throw new ToolLoopError(resumed.step, error, sofar(step(outcome.results, [])));
    }
    const stop = await finish(step(outcome.results, followUp));
    if (stop) return stop;
    first = resumed.step + 1;
  }

  for (let index = first; ; index++) {
    // An aborted signal sends nothing more.
    if (signal?.aborted) return aborted();
    const prepared = await prepare(index);
    if (signal?.aborted) return aborted();
    let sent: Request;
    try {
      sent = stepRequest(adapter, prepared, { request, base, history, tools, parallel });
      options.onStepStart?.({ step: index, request: sent });
    } catch (error) {
      throw new ToolLoopError(index, error, sofar());
    }
    const context: LoopTurnContext<Response, StreamEvent, Request, Message, Turn, Sent> = {
      adapter,
      tools: prepared.tools,
      send,
      signal,
      execute: execute(index, prepared.parallel),
      batches,
      text: (delta) => progress.text(delta, { step: index }),
      ...(onStep && batches
        ? {
            // The step in progress, before its calls run: a crash while they run resumes here.
            opened: (batch, times) =>
              onStep(
                batches.writeCheckpoint({
                  provider: adapter.provider,
                  request,
                  history: [...history],
                  step: index,
                  ...times,
                  batch,
                }),
              ),
          }
        : {}),
    };
    const outcome = await runLoopTurn(context, sent, index);
    if (outcome.kind === "suspended") {
      // Only a step given the loop's `batches` suspends.
      return signal?.aborted || !batches
        ? aborted()
        : awaiting(batches, outcome.step, outcome.outcome);
    }
    if (outcome.kind !== "finished") {
      // A failure after the caller aborted is the abort's doing (an SDK's abort error, ...).
      if (outcome.kind === "aborted" || signal?.aborted) return aborted(outcome.step);
      throw new ToolLoopError(index, outcome.error, sofar(outcome.step));
    }
    const stop = await finish(outcome.step);
    if (stop) return stop;
  }
}
