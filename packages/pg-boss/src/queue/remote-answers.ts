import type {
  BatchCheckpoint,
  BatchOutcome,
  BatchStore,
  ExecutionEvent,
  LedgerEntry,
  ToolResult,
} from "@toolbatch/core";

// A remote tool's `execute` can only return an output or throw, and core turns a throw into
// `execution_failed`. A worker's failure (`outcome_unknown`, `invalid_output`, a throw described
// by the worker) is thrown as a RemoteFailure carrying the worker's result, and the executor's
// results, events and checkpoints are given that result back in place of core's wrapper. Core
// writes the wrapper as `Tool "<name>" failed: <message>`, its message being the carrier's, which
// names the job: that text is how a checkpoint (where the thrown value is not kept) is matched.

/** Thrown by a remote tool's execute: the worker answered the call with a failure. */
export class RemoteFailure extends Error {
  /** The worker's result. */
  readonly result: ToolResult;
  constructor(jobId: string, result: ToolResult) {
    super(`[toolbatch/pg-boss] the worker answered job ${jobId} with a failure`);
    this.name = "RemoteFailure";
    this.result = result;
  }
}

/** The failures of one batch run's remote calls, to put back where core wrapped them. */
export class RemoteAnswers {
  readonly #byText = new Map<string, ToolResult>();

  /** Keeps a failure before it is thrown; returns what to throw. */
  failure(jobId: string, result: ToolResult): RemoteFailure {
    const thrown = new RemoteFailure(jobId, result);
    this.#byText.set(`${result.callId}\0Tool "${result.name}" failed: ${thrown.message}`, result);
    return thrown;
  }

  /** The worker's result in place of core's wrapper of it; any other result as it is. */
  result(result: ToolResult): ToolResult {
    if (result.ok || result.error.code !== "execution_failed") return result;
    const { cause } = result.error;
    if (cause instanceof RemoteFailure) return cause.result;
    return this.#byText.get(`${result.callId}\0${result.error.message}`) ?? result;
  }

  /** An event with its results put back. */
  event(event: ExecutionEvent): ExecutionEvent {
    switch (event.type) {
      case "call-end":
        return { ...event, result: this.result(event.result) };
      case "call-release":
        return { ...event, outcome: this.result(event.outcome) };
      case "batch-end":
        return { ...event, results: event.results.map((result) => this.result(result)) };
      default:
        return event;
    }
  }

  /** A checkpoint with its results and ledger entries put back; the same object when none changed. */
  checkpoint(checkpoint: BatchCheckpoint): BatchCheckpoint {
    let changed = false;
    const results: Record<string, ToolResult> = {};
    for (const [callId, result] of Object.entries(checkpoint.results)) {
      results[callId] = this.result(result);
      changed ||= results[callId] !== result;
    }
    const ledger: Record<string, LedgerEntry> = {};
    for (const [callId, entry] of Object.entries(checkpoint.ledger)) {
      ledger[callId] = entry;
      if (entry.state === "settled") {
        const result = this.result(entry.result);
        if (result !== entry.result) {
          ledger[callId] = { ...entry, result };
          changed = true;
        }
      }
    }
    return changed ? { ...checkpoint, results, ledger } : checkpoint;
  }

  /** An outcome with its results and checkpoint put back. */
  outcome(outcome: BatchOutcome): BatchOutcome {
    const checkpoint = this.checkpoint(outcome.checkpoint);
    if (outcome.status === "suspended") return { ...outcome, checkpoint };
    return {
      ...outcome,
      results: outcome.results.map((result) => this.result(result)),
      checkpoint,
    };
  }

  /** A store that saves checkpoints with their results put back. */
  store(store: BatchStore): BatchStore {
    return {
      load: (batchId) => store.load(batchId),
      save: (batchId, checkpoint, version) =>
        store.save(batchId, this.checkpoint(checkpoint), version),
    };
  }
}
