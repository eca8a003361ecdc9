import type { ToolCall } from "../batch/tool-call.js";
import type { ToolFailure, ToolResult } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";
import type { ToolSet } from "../tools/tool-set.js";
import { findSerializationProblem } from "./check-serializable.js";

// What the model reads of a call's result, shaped by the application (issue 18): a tool's
// `toModelOutput` for a success, the executor's `errorText` option for a failure.

/** What the executor's `errorText` option receives besides the failure. */
export interface ErrorTextContext {
  /** The call answered: its id, name (as the model sent it), arguments and position. */
  readonly call: ToolCall;
  /** The tool the call named, or `undefined` when it names none (`unknown_tool`). */
  readonly tool: AnyTool | undefined;
}

/**
 * Maps a failure's text to what the model reads (see `ExecuteBatchOptions.errorText`): the text
 * the result's `error.message` then holds; the executor's own stays in `error.unmappedMessage`.
 */
export type ErrorTextHook = (result: ToolFailure, context: ErrorTextContext) => string;

/**
 * Gives a result its model-facing form; a result it gave already is returned as it is, so each
 * call's hooks run once whichever path its result takes (the tool's run, then the batch's).
 */
export type PresentResult = (result: ToolResult, call: ToolCall) => ToolResult;

/**
 * The presenter of a batch run, or `undefined` when there is nothing to present (no `errorText`
 * and no tool with `toModelOutput`), so a plain batch pays nothing for it.
 */
export function createPresenter(
  tools: ToolSet,
  errorText: ErrorTextHook | undefined,
): PresentResult | undefined {
  if (!errorText && !tools.tools.some((tool) => tool.toModelOutput)) return undefined;
  const presented = new WeakSet<ToolResult>();
  return (result, call) => {
    if (presented.has(result)) return result;
    const tool = tools.get(call.name);
    let shown: ToolResult = result;
    if (result.ok) {
      if (tool?.toModelOutput) shown = { ...result, modelOutput: mapOutput(tool, result, call) };
    } else if (errorText) {
      const { error } = result;
      let message: unknown;
      try {
        message = errorText(result, { call, tool });
      } catch {
        // Withheld below: the exception may say what the hook was there to hide.
      }
      if (typeof message !== "string") {
        message = `Tool "${call.name}" did not succeed (${error.code}); what happened cannot be shown to you.`;
      }
      shown = {
        ...result,
        error: { ...error, message: message as string, unmappedMessage: error.message },
      };
    }
    presented.add(shown);
    return shown;
  };
}

/**
 * A success's output as the tool's `toModelOutput` maps it, as JSON data (`undefined` is `null`,
 * as a checkpoint keeps it). A mapping that throws or is no JSON data withholds the output: the
 * model reads that the tool ran, never the exception or the output the mapping was to hide.
 */
function mapOutput(tool: AnyTool, result: { readonly output: unknown }, call: ToolCall): unknown {
  try {
    const mapped = (tool.toModelOutput as NonNullable<AnyTool["toModelOutput"]>)(
      result.output as never,
      { call },
    );
    if (findSerializationProblem(mapped) === undefined) return mapped ?? null;
  } catch {
    // Withheld below.
  }
  return `Tool "${call.name}" ran and returned, but what it returned cannot be shown to you.`;
}
