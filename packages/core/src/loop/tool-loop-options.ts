import type { ProviderAdapter } from "../adapter-kit/provider-adapter.js";
import type { AccessAudit } from "../audit/access-record.js";
import type { ApproveHandler } from "../execution/approval-gate.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import type { ErrorTextHook } from "../execution/present-result.js";
import type { ResourceLimiter } from "../limits/resource-limiter.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { LoopBatches } from "./loop-batches.js";
import type { ToolLoopCheckpoint } from "./tool-loop-checkpoint.js";
import type {
  ToolLoopPrepareContext,
  ToolLoopStepPreparation,
  ToolLoopStepStart,
  ToolLoopStopCondition,
  ToolLoopTextDeltaContext,
} from "./tool-loop-hooks.js";
import type { ToolLoopStep } from "./tool-loop-result.js";

/** What `send` is told besides the request. */
export interface ToolLoopSendContext {
  /** The step (0-based) the request is for. */
  readonly step: number;
  /** The loop's signal: hand it to the SDK call so an abort also cancels the request. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Options of `runToolLoop`. The types come from the adapter: `send` must return what the
 * adapter reads (`Sent`: the vendor's response or its stream, awaited or not), so the compiler
 * refuses another vendor's response, an SDK's wrapper or a message taken out of a response.
 */
export type ToolLoopOptions<
  Response,
  StreamEvent,
  Request,
  Message,
  Turn,
  Sent = Response | AsyncIterable<StreamEvent>,
> = ToolLoopBaseOptions<Response, StreamEvent, Request, Message, Turn, Sent> &
  (
    | {
        /** The first request, in the vendor's own type; its history is the conversation so far. */
        request: Request;
        resume?: undefined;
        decisions?: undefined;
      }
    | {
        request?: undefined;
        /**
         * Continues a loop from its checkpoint (as returned `awaiting-approval`, or handed to
         * `onStep`; parsed back from JSON or not), in any process: a step in progress has its
         * batch resumed with `decisions` (`resumeBatch`: a call already answered never runs
         * again) and the vendor gets all the turn's results in one follow-up; between steps, the
         * next step's request is sent. Then the loop goes on. The request and history
         * come from the checkpoint; the adapter must be the same vendor's, and `batches` is
         * required (`InvalidOptionError` before anything is sent without it).
         */
        resume: ToolLoopCheckpoint;
        /**
         * Decisions on the checkpoint's pending approvals (`resumeBatch`'s): one that is not for a
         * pending call, for other arguments, replayed or forged is refused with
         * `ApprovalMismatchError` before anything runs or is sent. Calls left undecided keep the
         * loop `awaiting-approval`. Default: none.
         */
        decisions?: readonly unknown[] | undefined;
      }
  );

/**
 * The options of {@link ToolLoopOptions} but `request` and `resume`. Every optional option also
 * takes `undefined` (the same as leaving it out), so `{ signal: maybeSignal }` compiles under
 * `exactOptionalPropertyTypes`.
 */
export interface ToolLoopBaseOptions<
  Response,
  StreamEvent,
  Request,
  Message,
  Turn,
  Sent = Response | AsyncIterable<StreamEvent>,
> {
  /** The vendor's adapter. */
  adapter: ProviderAdapter<
    Response,
    StreamEvent,
    Request,
    Message,
    unknown,
    Turn,
    Partial<Request>,
    Sent
  >;
  /** The tools the model may call. */
  tools: readonly AnyTool[];
  /**
   * Sends one request with the application's own client and returns what the SDK call returns:
   * the response, or the vendor's stream (then each call starts the moment its arguments are
   * complete), e.g. `client.chat.completions.create(request)`. Its type is the adapter's, and the
   * loop checks it at run time too (`UnexpectedResponseError`). Hand `context.signal` to the SDK
   * call so an abort also cancels the request; the loop itself never waits on a request or a
   * stream once the signal aborted.
   */
  send: (
    request: Request,
    context: ToolLoopSendContext,
  ) => NoInfer<Sent> | PromiseLike<NoInfer<Sent>>;
  /** Parallel calls (the vendor's switch, and the executor's). Default true. */
  parallel?: boolean | undefined;
  /** The most calls of a step running at once, as `executeBatch`'s. Default `Infinity`. */
  concurrency?: number | undefined;
  /** Time limit per call in milliseconds, as `executeBatch`'s; a tool's own wins. Default none. */
  timeoutMs?: number | undefined;
  /**
   * Maps the text of every error result before the model reads it, in every step, as
   * `executeBatch`'s `errorText` (hide an internal exception's message, ...).
   */
  errorText?: ErrorTextHook | undefined;
  /**
   * The shared resources' budgets and the lock keys, as `executeBatch`'s `limiter`: pass the one
   * limiter every conversation of the application shares (`createResourceLimiter`). Default: one
   * limiter of this run's own for all its steps, so a tool answered `timeout` that ignores its
   * signal keeps its lock keys until it ends, and the next step's call on the same key (the model
   * retrying it) waits for it.
   */
  limiter?: ResourceLimiter | undefined;
  /**
   * The access audit (`createAccessAudit`), as `executeBatch`'s `audit`: each step's `access`
   * holds what its batch did with data (`AccessRecord`) and the follow-up that returned its
   * results together. Default: no record.
   */
  audit?: AccessAudit | undefined;
  /** The most model turns with tool calls. Default 10. */
  maxSteps?: number | undefined;
  /**
   * Stops the loop at any moment, with `stopReason: "aborted"` (never a thrown error): nothing more
   * is sent, running calls end `aborted`, the rest `not_executed`. Aborted before the loop
   * starts, it sends nothing.
   */
  signal?: AbortSignal | undefined;
  /**
   * Decides the calls that need approval (`needsApproval`), in every step, as `executeBatch`'s
   * `approve` does: a call waits for its decision while the rest of its turn runs, and the vendor
   * gets all the turn's results in one follow-up, a denied call's as `denied`.
   *
   * Without it, a loop given `batches` suspends instead, as `runBatch` does: a turn with a call
   * needing approval stops the loop with `awaiting-approval` and a checkpoint, once the rest of
   * the turn ran (see `resume`). Without either, such tools are a `MissingApprovalHandlerError`,
   * thrown before anything is sent.
   */
  approve?: ApproveHandler | undefined;
  /**
   * How each step's batch runs so that the loop can suspend on approvals and be resumed after a
   * crash: `resumableBatches({ store?, signer?, batchId? })` from `@toolbatch/core` (`runBatch` /
   * `resumeBatch`, each call's start and outcome saved in the store). Given, every step's batch
   * runs through it once the whole turn arrived (a streamed turn's calls then do not start while
   * it streams). Passed in, not built in, so that a loop that never suspends does not bundle that
   * code (issue 16). Needed for `resume`, and for a loop without `approve` to suspend.
   */
  batches?: LoopBatches | undefined;
  /**
   * Hands out the loop's state as it goes, as a {@link ToolLoopCheckpoint} (plain JSON) to keep
   * and resume from after a crash, in any process (`runToolLoop({ resume: checkpoint, batches })`),
   * without running finished steps again. The loop waits for it (persist, then resolve) and stops
   * with a `ToolLoopError` when it throws or rejects. It is called
   * - after every finished step, with the state between steps (no `batch`: a resume sends the
   *   next step's request), including the last one;
   * - with `batches`, also when a step's turn arrived, before its calls run (with `batch`: a resume
   *   continues that batch from its newest state in `batches`' store; a call that started and left
   *   no outcome is answered `outcome_unknown` unless its tool is `idempotent`).
   * Without `batches`, a crash while a step runs loses that step: a resume sends its request again,
   * and its calls that ran may run again. For every call to run at most once across crashes, pass
   * `batches: resumableBatches({ store })`.
   */
  onStep?: ((checkpoint: ToolLoopCheckpoint) => void | PromiseLike<void>) | undefined;
  /**
   * The executor's events of every step, plus a `step` on each. Called synchronously; an
   * exception it throws is swallowed (as `executeBatch`'s), so it cannot cost a call its result.
   */
  onEvent?: ((event: ExecutionEvent & { readonly step: number }) => void) | undefined;
  /**
   * Called before each step's request is sent (after `prepareStep`), with the step and the
   * request as it will be sent. Not for a step resumed from a checkpoint (its request was sent).
   * Progress hooks (`onStepStart`, `onTextDelta`, `onStepFinish`) are not awaited: the loop does
   * not wait for a UI, and does not look at what they return. One that throws stops the loop with
   * a `ToolLoopError` (its `cause` the hook's error): `onStepStart` at once, before the request is
   * sent; the others once the step they were called in finished, so its calls ran, were answered
   * and are in `error.result` (whose `stopReason` and `checkpoint` are there too when the loop
   * stopped at that step anyway).
   */
  onStepStart?: ((start: ToolLoopStepStart<NoInfer<Request>>) => void) | undefined;
  /**
   * The assistant text of each turn as it arrives, for showing it live: while a turn streams,
   * each event's text (the adapter's `textOf`); a turn not streamed (or an adapter without
   * `textOf`) gives its whole text in one delta once it arrived, and a stream whose text came in
   * events `textOf` does not read gives the rest once it ended. The deltas of a step, joined, are
   * its `text`. Empty texts are not reported. Not awaited (see `onStepStart`); after it throws it
   * is not called again.
   */
  onTextDelta?: ((delta: string, context: ToolLoopTextDeltaContext) => void) | undefined;
  /**
   * Called after each finished step (appended to the history and handed to `onStep`), with the
   * step: its batch, results, follow-up, `text`, `usage` and times. Unlike `onStep`, it is for
   * showing progress: the step holds the vendor's objects (not plain JSON) and is not awaited.
   * Not for a turn that broke off (`interrupted`) or suspended (`awaiting-approval`).
   */
  onStepFinish?: ((step: ToolLoopStep<NoInfer<Turn>, NoInfer<Message>>) => void) | undefined;
  /**
   * Called before each step, with the finished steps of this run and the loop's tools; may
   * change, for that step only, the tools (what the request declares and what the executor runs:
   * a call to a tool left out is answered `unknown_tool`), the parallel switch, and anything else
   * of the request in the vendor's own type (`request`: the tool choice, the model, ...). The
   * loop awaits it. What it returns is checked (`InvalidOptionError`, and the checks of the
   * options, e.g. `MissingApprovalHandlerError` for a tool needing approval without `approve`);
   * that, or it throwing, stops the loop with a `ToolLoopError` before the step's request is
   * sent. A step resumed from a checkpoint gets its tools and `parallel` too (its request was
   * sent).
   */
  prepareStep?:
    | ((
        context: ToolLoopPrepareContext<NoInfer<Turn>, NoInfer<Message>>,
      ) =>
        | ToolLoopStepPreparation<NoInfer<Request>>
        | undefined
        | PromiseLike<ToolLoopStepPreparation<NoInfer<Request>> | undefined>)
    | undefined;
  /**
   * Checked after each finished step whose turn had calls and was complete (before `maxSteps` is
   * looked at), with the step and this run's finished steps, and awaited: true stops the loop with
   * `stopReason: "stopped"`, the history ending with the step's results (valid for the vendor).
   * `stopAfterTool(name)` stops once a tool answered. One that throws stops the loop with a
   * `ToolLoopError` whose result holds the step.
   */
  stopWhen?: ToolLoopStopCondition<NoInfer<Turn>, NoInfer<Message>> | undefined;
}
