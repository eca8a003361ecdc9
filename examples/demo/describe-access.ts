import type { StepAccessRecord, ToolLoopStep } from "@toolbatch/core";

/**
 * One line per turn of calls: the data categories its results returned to the model together
 * (issue 19's access audit), and the combinations the application marks sensitive they met.
 * Turns without calls (the final answer) say nothing.
 */
export function describeAccess(steps: readonly ToolLoopStep[]): string[] {
  return steps.flatMap(({ access }) => (access && access.calls.length > 0 ? [line(access)] : []));
}

function line(access: StepAccessRecord): string {
  const ran = access.calls.filter((call) => call.ran).length;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const parts = [
    `${ran} of ${count(access.calls.length, "call")} ran`,
    // A turn that broke off was never answered: its results returned in no follow-up.
    access.followUp
      ? `${count(access.followUp.results, "result")} returned together`
      : "no results returned",
    `categories: ${access.categories.length > 0 ? access.categories.join(", ") : "none"}`,
  ];
  const turn = access.followUp ? `turn ${access.followUp.step + 1}` : "cut-off turn";
  const id = access.responseId ? ` (${access.responseId})` : "";
  const sensitive = access.sensitive.map(
    ({ categories, callIds }) =>
      `${categories.join(" + ")} across ${count(callIds.length, "call")}`,
  );
  return [
    `    access, ${turn}${id}: ${parts.join(", ")}`,
    ...(sensitive.length > 0 ? [`      sensitive: ${sensitive.join("; ")}`] : []),
  ].join("\n");
}
