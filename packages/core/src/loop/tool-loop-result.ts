import type { ApprovalRequest } from "../approval/approval-request.js";
import type { StepAccessRecord } from "../audit/access-record.js";
import type { TokenUsage } from "../batch/token-usage.js";
import type { ToolCallBatch } from "../batch/tool-call.js";
import type { ToolResult } from "../batch/tool-result.js";
import type { ToolLoopCheckpoint } from "./tool-loop-checkpoint.js";

/** Why `runToolLoop` stopped. */
export type ToolLoopStopReason =
  /** The model answered without calling tools. */
  | "done"
  /** `maxSteps` turns with tool calls ran; the history ends with their results. */
  | "max-steps"
  /**
   * The vendor ended the last turn cut off (length limit, paused turn, malformed call): its calls
   * that were not complete did not run. In a stream, calls the vendor had completed before the cut
   * may have run: their results are in the history with the turn.
   */
  | "incomplete"
  /**
   * A call of the last turn needs approval and the loop has no `approve`: the rest of the turn
   * ran, and the loop returns `checkpoint` (plain JSON) and the `pending` requests. Continue with
   * `runToolLoop({ ..., resume: checkpoint, decisions })`, in any process. `history` ends before
   * the suspended turn (it is valid for the vendor); the turn is `finalTurn`.
   */
  | "awaiting-approval"
  /**
   * `stopWhen` said stop after the last step (e.g. `stopAfterTool("final_answer")`): the history
   * ends with that step's results, valid for the vendor; send `request` to let the model go on.
   */
  | "stopped"
  /**
   * The signal aborted, at whatever moment: nothing more is sent, calls still running end
   * `aborted` and the rest `not_executed`. A turn that had fully arrived is in the history with
   * its results; a turn that was still streaming is in `interrupted`. Set whenever the signal
   * aborted before the loop returned, even if the last turn also ended otherwise.
   */
  | "aborted";

/** One model turn of the loop and what ran for it. Times are epoch milliseconds. */
export interface ToolLoopStep<Turn = unknown, Message = unknown> {
  /** 0-based. */
  readonly index: number;
  /** The turn's calls. */
  readonly batch: ToolCallBatch<Turn>;
  /** One result per call, in call order (empty for a final answer). */
  readonly results: readonly ToolResult[];
  /**
   * What the step appended to the history: the turn, then the results in the vendor's carrier.
   * Empty for an interrupted turn, which is never appended.
   */
  readonly followUp: readonly Message[];
  /** When the request was sent. */
  readonly sentAt: number;
  /** When the response, or the end of its stream, arrived. */
  readonly receivedAt: number;
  /** When the last result was in. */
  readonly finishedAt: number;
  /** Whether the turn streamed (calls then started while it streamed). */
  readonly streamed: boolean;
  /** The turn's assistant text (`batch.text`): `undefined` when the turn has none. */
  readonly text: string | undefined;
  /**
   * The tokens the vendor reported for this turn (`batch.usage`), `undefined` where it reported
   * none. A step resumed from a checkpoint has none: its turn's tokens were counted by the run
   * that received it.
   */
  readonly usage: TokenUsage | undefined;
  /**
   * What the step's batch did with data, with the follow-up that returned its results together
   * (`followUp.step` is this step's index): present when the loop's `audit` option is given.
   */
  readonly access?: StepAccessRecord;
}

/**
 * What `runToolLoop` did until it stopped, whatever stopped it. A `ToolLoopError` carries it as
 * `error.result`, so a failure loses no call that ran.
 */
export interface ToolLoopPartialResult<Request = unknown, Message = unknown, Turn = unknown> {
  /**
   * The conversation in the vendor's message types, as far as the vendor accepts it: the first
   * request's history, then every finished step's turn and results. A turn that broke off is
   * never in it (see `interrupted`).
   */
  readonly history: Message[];
  /** The next request, carrying `history`: send it to continue, or to try a failed step again. */
  readonly request: Request;
  /** Every finished step: each turn the vendor ended, and what ran for it. */
  readonly steps: readonly ToolLoopStep<Turn, Message>[];
  /**
   * The turn that broke off while it streamed: its stream threw, or ended before the vendor
   * ended the turn (`TruncatedStreamError`), or the signal aborted. Its calls may
   * have started while it streamed: `results` holds one result per call of `batch` (what arrived
   * of the turn), the calls that ran with their results, the ones still running then `aborted`,
   * the rest `not_executed`. It is not in `history`, because what arrived of a turn is not a turn
   * the vendor takes back (a signature or encrypted reasoning may be cut); to tell the model what
   * ran, append `adapter.toFollowUp(interrupted.batch, interrupted.results)` where the vendor
   * accepts it. Its `followUp` is empty.
   */
  readonly interrupted?: ToolLoopStep<Turn, Message>;
  /**
   * The text of the last turn the vendor ended: the final answer's when the loop stopped `done`,
   * the suspended turn's when `awaiting-approval`; `undefined` when that turn has no text or no
   * turn ended. The same on every vendor (the adapter's `batch.text`).
   */
  readonly text: string | undefined;
  /**
   * The tokens of every answer this run received, summed (`addTokenUsage`): each step's, the
   * suspended turn's and the `interrupted` turn's; `undefined` when the vendor reported none.
   */
  readonly usage: TokenUsage | undefined;
}

/** What `runToolLoop` returns: how the loop stopped, and everything it did until then. */
export type ToolLoopResult<
  Request = unknown,
  Message = unknown,
  Turn = unknown,
> = ToolLoopPartialResult<Request, Message, Turn> &
  (
    | {
        /** Why the loop stopped. */
        readonly stopReason: Exclude<ToolLoopStopReason, "aborted" | "awaiting-approval">;
        /** The last assistant turn: the final answer when `stopReason` is `done`. */
        readonly finalTurn: Turn;
      }
    | {
        /** Why the loop stopped. */
        readonly stopReason: "awaiting-approval";
        /** The suspended turn, whose calls await decisions (`pending`). */
        readonly finalTurn: Turn;
        /**
         * What `runToolLoop({ resume })` continues from: keep it, plain JSON. It is a step in
         * progress: `checkpoint.batch` holds the suspended batch.
         */
        readonly checkpoint: Extract<ToolLoopCheckpoint, { readonly batch: object }>;
        /** The calls awaiting a decision, in call order: show them, and resume with decisions. */
        readonly pending: readonly ApprovalRequest[];
      }
    | {
        /** Why the loop stopped. */
        readonly stopReason: "aborted";
        /** The last turn the vendor ended; `undefined` when the signal aborted before one did. */
        readonly finalTurn: Turn | undefined;
      }
  );
