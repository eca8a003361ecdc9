import { defineTool, jsonSchema, type ToolCallBatch } from "@toolbatch/core";
import type pg from "pg";

// The serial batch of the coordinator-killed and server-restart tests: `step` runs alone
// (`parallel: false`), so a batch of steps runs one call at a time in call order, and while one
// runs the later ones are not yet sent.

/** `step`'s input: which step. */
export interface StepInput {
  readonly n: number;
}

/** `step` with its `execute`: the same name, schema and scheduling on every side. */
export function stepTool(
  execute: (input: StepInput, callId: string) => Promise<unknown>,
  idempotent = false,
) {
  return defineTool({
    name: "step",
    description: `one step of a serial batch; ${idempotent ? "idempotent" : "not idempotent"}`,
    input: jsonSchema<StepInput>({ type: "object" }),
    parallel: false,
    idempotent,
    execute: (input, { call }) => execute(input, call.id),
  });
}

/** The `step` a coordinator holds: it never runs the tool itself. */
export const remoteStep = stepTool(() => {
  throw new Error("runs on the workers only");
});

/** Four steps, `step_0` to `step_3`. */
export const stepBatch: ToolCallBatch = {
  provider: "test",
  calls: [0, 1, 2, 3].map((n) => ({ id: `step_${n}`, name: "step", input: { n }, index: n })),
  complete: true,
  turn: null,
};

/** A promise the test opens. */
export function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/**
 * The workers' `step` (in the test's process): each run is a row of `step_runs` (so a second run
 * of a call shows), and step 1 opens `started` and waits for `release` before it ends.
 */
export function heldStep(db: () => pg.Pool, idempotent = false) {
  const started = gate();
  const release = gate();
  const tool = stepTool(async ({ n }, callId) => {
    await db().query("INSERT INTO step_runs (call_id) VALUES ($1)", [callId]);
    if (n === 1) {
      started.open();
      await release.opened;
    }
    return `step ${n} done`;
  }, idempotent);
  return { tool, started, release };
}

/** How many times each of the four steps ran, in call order. */
export async function runsPerStep(db: pg.Pool): Promise<number[]> {
  const { rows } = await db.query<{ call_id: string; n: number }>(
    "SELECT call_id, count(*)::int AS n FROM step_runs GROUP BY call_id",
  );
  return stepBatch.calls.map((call) => rows.find((row) => row.call_id === call.id)?.n ?? 0);
}
