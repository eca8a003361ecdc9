import { defineTool, jsonSchema } from "@toolbatch/core";

// The tools of the coordinator-killed test, as the coordinator knows them: `step` runs alone
// (`parallel: false`), so a batch of steps runs one call at a time in call order, and while one
// runs the later ones are not yet sent. Their `execute` runs on the workers only.

/** `step`'s input: which step, and whether its tool waits for the test's gate. */
export interface StepInput {
  readonly n: number;
}

/** The coordinator's `step`: same name, schema and scheduling as the workers' tool. */
export function stepTool(execute: (input: StepInput, callId: string) => Promise<unknown>) {
  return defineTool({
    name: "step",
    description: "one step of a serial batch; not idempotent",
    input: jsonSchema<StepInput>({ type: "object" }),
    parallel: false,
    execute: (input, { call }) => execute(input, call.id),
  });
}

/** The `step` a coordinator holds: it never runs the tool itself. */
export const remoteStep = stepTool(() => {
  throw new Error("runs on the workers only");
});
