import type { BatchCheckpoint } from "../durable/batch-checkpoint.js";
import { parseBatchCheckpoint } from "../durable/parse-batch-checkpoint.js";
import {
  own,
  readArray,
  readBoolean,
  readJson,
  readObject,
  readString,
  readTime,
  refuse,
} from "../durable/read-checkpoint-fields.js";
import { CheckpointVersionError } from "../errors/checkpoint-version-error.js";
import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { describeThrown } from "../values/describe-thrown.js";
import { describeValue } from "../values/describe-value.js";

/** The schema version of the {@link ToolLoopCheckpoint}s this `@toolbatch/core` writes. */
export const TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION = 1;

/**
 * A tool loop's state as plain, versioned JSON: what `runToolLoop({ resume })` continues from, in
 * any process. Keep it as it is (`JSON.stringify` it); it is read back with the same checks as a
 * `BatchCheckpoint`. Two kinds, told apart by `batch`:
 * - **a step in progress** (`batch` present): the loop stopped `awaiting-approval` on step `step`,
 *   or (given to `onStep`) the turn of step `step` arrived and its calls are about to run through
 *   `batches`. A resume continues that step's batch from its newest state in the store, so a call
 *   that ran never runs again, and sends the vendor all the turn's results in one follow-up.
 * - **between steps** (no `batch`, given to `onStep`): steps before `step` finished and their
 *   results are in `history`; a resume sends step `step`'s request.
 *
 * The turn of a step in progress is kept once, in `batch.batch.turn` (with its calls and what ran
 * of them in `batch`), not in `history`: a vendor's turn may be several messages (Responses
 * items), and on resume `adapter.toFollowUp` appends it with all of the turn's results, as the loop
 * does for every step.
 */
export type ToolLoopCheckpoint = ToolLoopCheckpointBase &
  (
    | {
        /** When the step's request was sent, and its answer arrived (epoch milliseconds). */
        readonly sentAt: number;
        readonly receivedAt: number;
        /** Whether the step's turn streamed. */
        readonly streamed: boolean;
        /** The step's batch: `runBatch`'s checkpoint, pending approvals and all. */
        readonly batch: BatchCheckpoint;
      }
    | {
        readonly sentAt?: undefined;
        readonly receivedAt?: undefined;
        readonly streamed?: undefined;
        /** Between steps: no batch is in progress. */
        readonly batch?: undefined;
      }
  );

/** A {@link ToolLoopCheckpoint}'s fields but its schema version, each kind on its own. */
export type ToolLoopCheckpointFields = ToolLoopCheckpoint extends infer Kind
  ? Kind extends ToolLoopCheckpoint
    ? Omit<Kind, "schemaVersion">
    : never
  : never;

/** The fields of every {@link ToolLoopCheckpoint}. */
export interface ToolLoopCheckpointBase {
  readonly schemaVersion: typeof TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION;
  /** The adapter's `provider`: a checkpoint resumes with the same vendor's adapter only. */
  readonly provider: string;
  /** The loop's first request, as given (its tools and the parallel switch are set again). */
  readonly request: unknown;
  /**
   * The conversation before step `step`, in the vendor's message types: the first request's
   * history, then every finished step's turn and results.
   */
  readonly history: readonly unknown[];
  /**
   * The index (0-based) of the step in progress (with `batch`), or of the next step to send
   * (without): the steps before it finished.
   */
  readonly step: number;
}

const ROOT = "loopCheckpoint";

/**
 * Reads a value (parsed JSON) as a {@link ToolLoopCheckpoint}, checking all of it; the batch with
 * `parseBatchCheckpoint` (its faults are named from `checkpoint`, the batch checkpoint's root).
 * Returns a copy that shares nothing with the value.
 *
 * @throws {CheckpointVersionError} for a schema version this `@toolbatch/core` cannot read.
 * @throws {InvalidCheckpointError} for anything else that is not a tool loop checkpoint.
 */
export function parseToolLoopCheckpoint(value: unknown): ToolLoopCheckpoint {
  try {
    const checkpoint = readObject(value, ROOT);
    const version = own(checkpoint, "schemaVersion");
    if (version !== TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION) {
      if (typeof version !== "number" || !Number.isSafeInteger(version)) {
        refuse(`${ROOT}.schemaVersion`, `is not a schema version: got ${describeValue(version)}`);
      }
      throw new CheckpointVersionError(version, [TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION]);
    }
    const step = own(checkpoint, "step");
    if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) {
      refuse(`${ROOT}.step`, `is not a step index: got ${describeValue(step)}`);
    }
    readArray(checkpoint, "history", ROOT);
    const base = {
      schemaVersion: TOOL_LOOP_CHECKPOINT_SCHEMA_VERSION,
      provider: readString(checkpoint, "provider", ROOT),
      request: readJson(checkpoint, "request", ROOT),
      history: readJson(checkpoint, "history", ROOT) as unknown[],
      step,
    } as const;
    if (own(checkpoint, "batch") === undefined) {
      // Between steps: the fields of a step in progress would mean a damaged checkpoint.
      for (const key of ["sentAt", "receivedAt", "streamed"]) {
        if (own(checkpoint, key) !== undefined) {
          refuse(`${ROOT}.${key}`, "is set, but there is no batch: a step in progress has both");
        }
      }
      return base;
    }
    const batch = parseBatchCheckpoint(own(checkpoint, "batch"));
    return {
      ...base,
      sentAt: readTime(checkpoint, "sentAt", ROOT),
      receivedAt: readTime(checkpoint, "receivedAt", ROOT),
      streamed: readBoolean(checkpoint, "streamed", ROOT),
      batch,
    };
  } catch (error) {
    if (InvalidCheckpointError.isInstance(error) || CheckpointVersionError.isInstance(error)) {
      throw error;
    }
    throw new InvalidCheckpointError(ROOT, `could not be read: ${describeThrown(error)}`, {
      cause: error,
    });
  }
}
