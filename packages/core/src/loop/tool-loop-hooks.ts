import type { AnyTool } from "../tools/define-tool.js";
import type { ToolLoopStep } from "./tool-loop-result.js";

/** What `onStepStart` gets before a step's request is sent. */
export interface ToolLoopStepStart<Request = unknown> {
  /** The step (0-based). */
  readonly step: number;
  /** The request about to be sent, in the vendor's own type (tools, switch and history set). */
  readonly request: Request;
}

/** What `onTextDelta` gets besides the text. */
export interface ToolLoopTextDeltaContext {
  /** The step (0-based) whose turn the text is of. */
  readonly step: number;
}

/** What `prepareStep` gets before a step. */
export interface ToolLoopPrepareContext<Turn = unknown, Message = unknown> {
  /** The step (0-based) about to run. */
  readonly step: number;
  /** The steps this run finished, in order (a resumed run: only its own). */
  readonly steps: readonly ToolLoopStep<Turn, Message>[];
  /** The loop's tools (`tools`), whatever an earlier step used. */
  readonly tools: readonly AnyTool[];
}

/**
 * What `prepareStep` changes for one step; a field left out (or `undefined`) keeps the loop's own.
 *
 * Tool choice is set through `request`, in the vendor's own type (OpenAI `tool_choice: "required"`
 * or `{ type: "function", function: { name } }`, Anthropic `tool_choice: { type: "any" }`, Gemini
 * `toolConfig.functionCallingConfig`), so every vendor's choices are open to it. The loop declares
 * the step's tools and sets the parallel switch after it, merged with what it set (Anthropic's
 * `disable_parallel_tool_use` joins its `tool_choice`): what is declared and what the executor runs
 * stay the same tools, and the switch stays the executor's.
 */
export interface ToolLoopStepPreparation<Request = unknown> {
  /** The step's tools, instead of the loop's: declared in its request, and run by its executor. */
  readonly tools?: readonly AnyTool[] | undefined;
  /** The step's parallel switch (the vendor's and the executor's), instead of the loop's. */
  readonly parallel?: boolean | undefined;
  /**
   * Changes the step's request: gets it with the loop's history (before the step's tools and
   * switch are set) and returns the request to send. The history stays the loop's: it is set
   * again after.
   */
  readonly request?: ((request: Request) => Request) | undefined;
}

/** What `stopWhen` gets after a finished step. */
export interface ToolLoopStopContext<Turn = unknown, Message = unknown> {
  /** The step that just finished (also the last of `steps`). */
  readonly step: ToolLoopStep<Turn, Message>;
  /** The steps this run finished, in order. */
  readonly steps: readonly ToolLoopStep<Turn, Message>[];
}

/** A `stopWhen` predicate: true stops the loop after the step (`stopReason: "stopped"`). */
export type ToolLoopStopCondition<Turn = unknown, Message = unknown> = (
  context: ToolLoopStopContext<Turn, Message>,
) => boolean | PromiseLike<boolean>;
