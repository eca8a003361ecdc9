import type { ProviderAdapter } from "../adapter-kit/provider-adapter.js";
import type { ApproveHandler } from "../execution/approval-gate.js";
import type { ExecuteBatchOptions } from "../execution/execute-batch-options.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { LoopBatches } from "./loop-batches.js";
import type { ToolLoopCheckpoint } from "./tool-loop-checkpoint.js";

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
        decisions?: readonly unknown[];
      }
  );

/** The options of {@link ToolLoopOptions} but `request` and `resume`. */
export interface ToolLoopBaseOptions<
  Response,
  StreamEvent,
  Request,
  Message,
  Turn,
  Sent = Response | AsyncIterable<StreamEvent>,
> extends Omit<ExecuteBatchOptions, "parallel" | "signal" | "onEvent"> {
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
  parallel?: boolean;
  /** The most model turns with tool calls. Default 10. */
  maxSteps?: number;
  /**
   * Stops the loop at any moment, with `stopReason: "aborted"` (never a thrown error): nothing more
   * is sent, running calls end `aborted`, the rest `not_executed`. Aborted before the loop
   * starts, it sends nothing.
   */
  signal?: AbortSignal;
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
  approve?: ApproveHandler;
  /**
   * How each step's batch runs so that the loop can suspend on approvals and be resumed after a
   * crash: `resumableBatches({ store?, signer?, batchId? })` from `@toolbatch/core` (`runBatch` /
   * `resumeBatch`, each call's start and outcome saved in the store). Given, every step's batch
   * runs through it once the whole turn arrived (a streamed turn's calls then do not start while
   * it streams). Passed in, not built in, so that a loop that never suspends does not bundle that
   * code (issue 16). Needed for `resume`, and for a loop without `approve` to suspend.
   */
  batches?: LoopBatches;
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
  onStep?: (checkpoint: ToolLoopCheckpoint) => void | PromiseLike<void>;
  /** The executor's events of every step, plus a `step` on each. */
  onEvent?: (event: ExecutionEvent & { readonly step: number }) => void;
}
