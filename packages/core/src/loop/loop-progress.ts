import { addTokenUsage, type TokenUsage } from "../batch/token-usage.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { ToolLoopTextDeltaContext } from "./tool-loop-hooks.js";
import type { ToolLoopStep } from "./tool-loop-result.js";

const HOOKS = [
  "onStep",
  "onEvent",
  "onStepStart",
  "onTextDelta",
  "onStepFinish",
  "prepareStep",
  "stopWhen",
] as const;

/** Refuses a hook that is not a function (`InvalidOptionError`), before anything is sent. */
export function checkLoopHooks(options: { readonly [K in (typeof HOOKS)[number]]?: unknown }) {
  for (const name of HOOKS) {
    const hook = options[name];
    if (hook !== undefined && typeof hook !== "function") {
      throw new InvalidOptionError(name, hook, "a function");
    }
  }
}

/** The tokens of these steps, summed; `undefined` when none reported any. */
export function sumUsage(steps: readonly (ToolLoopStep | undefined)[]): TokenUsage | undefined {
  let sum: TokenUsage | undefined;
  for (const step of steps) sum = addTokenUsage(sum, step?.usage);
  return sum;
}

/** The progress hooks the loop calls as a step goes, guarded. */
export interface LoopProgress<Step> {
  /** Reports a text delta of step `step`. */
  text(delta: string, context: ToolLoopTextDeltaContext): void;
  /** Reports a finished step. */
  finish(step: Step): void;
  /** The first error a hook threw, if one did: the loop throws it once the step finished. */
  readonly failure: { readonly error: unknown } | undefined;
}

/**
 * Guards `onTextDelta` and `onStepFinish`: they are not awaited, and an exception one throws is
 * kept, not thrown where it was called (in the middle of a stream, while calls run), so the step
 * ends as it would have and no call is lost; after it, no hook is called again.
 */
export function createLoopProgress<Step>(hooks: {
  readonly onTextDelta?: ((delta: string, context: ToolLoopTextDeltaContext) => void) | undefined;
  readonly onStepFinish?: ((step: Step) => void) | undefined;
}): LoopProgress<Step> {
  let failure: { readonly error: unknown } | undefined;
  const call = (hook: () => void) => {
    if (failure) return;
    try {
      hook();
    } catch (error) {
      failure = { error };
    }
  };
  const { onTextDelta, onStepFinish } = hooks;
  return {
    text: (delta, context) => {
      if (onTextDelta) call(() => onTextDelta(delta, context));
    },
    finish: (step) => {
      if (onStepFinish) call(() => onStepFinish(step));
    },
    get failure() {
      return failure;
    },
  };
}
