import type { ToolCall } from "../batch/tool-call.js";
import { type ToolFailure, toolFailure } from "../batch/tool-result.js";
import type { AnyTool } from "../tools/define-tool.js";
import { describeThrown } from "../values/describe-thrown.js";
import { describeValue } from "../values/describe-value.js";
import { describeIssues, failed, failedBefore } from "./call-failures.js";

/** What validating a call's input came to: the input `execute` receives, or the call's failure. */
export type Validated = { readonly ok: true; readonly value: unknown } | ToolFailure;

const VALIDATOR = "its input validator";

/**
 * Validates a call's input with its tool's validator: synchronously when the validator is, and
 * never throwing or rejecting, whatever the validator does.
 *
 * Issues the validator reports are the model's `invalid_input`. A validator that misbehaves (it
 * throws or rejects, or returns anything but `{ value }` or `{ issues: [...] }`: `undefined`, a
 * number, zod's `safeParse` shape, issues that are no list) fails the call `execution_failed`:
 * the arguments may be fine, the fault is the tool's, and the text says the tool did not run.
 * A thenable that is not a Promise is awaited like one.
 */
export function validateCall(call: ToolCall, tool: AnyTool): Validated | Promise<Validated> {
  try {
    const outcome: unknown = tool.validate(call.input);
    if (typeof (outcome as { then?: unknown } | null | undefined)?.then === "function") {
      return Promise.resolve(outcome).then(
        (settled) => readOutcome(call, settled),
        (thrown: unknown) => failed(call, thrown, VALIDATOR),
      );
    }
    return readOutcome(call, outcome);
  } catch (thrown) {
    // The validator threw, or its result refused to say whether it is a thenable.
    return failed(call, thrown, VALIDATOR);
  }
}

function readOutcome(call: ToolCall, outcome: unknown): Validated {
  try {
    if (typeof outcome !== "object" || outcome === null) {
      return failedBefore(
        call,
        VALIDATOR,
        `returned ${describeValue(outcome)}, not { value } or { issues }`,
      );
    }
    const { issues } = outcome as { issues?: unknown };
    if (issues === undefined) {
      if (!("value" in outcome)) {
        return failedBefore(call, VALIDATOR, "returned an object with neither value nor issues");
      }
      return { ok: true, value: (outcome as { value: unknown }).value };
    }
    if (!Array.isArray(issues)) {
      return failedBefore(
        call,
        VALIDATOR,
        `returned issues that are not a list (${describeValue(issues)})`,
      );
    }
    return toolFailure(call, "invalid_input", describeIssues(call.name, issues));
  } catch (thrown) {
    // A Proxy whose traps throw: the result cannot even be read.
    return failedBefore(
      call,
      VALIDATOR,
      `returned a result that cannot be read (${describeThrown(thrown)})`,
      thrown,
    );
  }
}
