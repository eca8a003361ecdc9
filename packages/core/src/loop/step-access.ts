import type { AccessRecord } from "../audit/access-record.js";
import type { ExecutionEvent } from "../execution/execution-events.js";
import type { ToolLoopStep } from "./tool-loop-result.js";

/** Keeps each step's access record from its `batch-end` and hands it to the step. */
export interface StepAccess {
  /** Keeps the record of a `batch-end` of step `index`. */
  hear(event: ExecutionEvent, index: number): void;
  /**
   * The step with its record (once: the record is handed out), and with the follow-up that
   * returned its results when it has one; the step as it is when no record came.
   */
  attach<Step extends ToolLoopStep>(step: Step): Step;
}

/** The loop's keeper of access records (`ToolLoopOptions.audit`). */
export function createStepAccess(): StepAccess {
  const records = new Map<number, AccessRecord>();
  return {
    hear(event, index) {
      if (event.type === "batch-end" && event.access) records.set(index, event.access);
    },
    attach(step) {
      const record = records.get(step.index);
      if (!record) return step;
      records.delete(step.index);
      // A turn that broke off is never sent back: its results returned in no follow-up.
      const followUp =
        step.followUp.length > 0 ? { step: step.index, results: step.results.length } : undefined;
      return { ...step, access: followUp ? { ...record, followUp } : record };
    },
  };
}
