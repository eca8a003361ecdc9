/**
 * Whether a response's calls may run, from its `status`: only `completed` may. `incomplete`
 * (max_output_tokens, content filter) can end inside a call's arguments; `failed`, `cancelled`,
 * `queued` and `in_progress` have no finished calls. A missing status (some compatible servers)
 * counts as completed; the calls' own `status` is checked separately.
 */
export function isResponsesStatusComplete(status: string | null | undefined): boolean {
  return status === "completed" || status === undefined || status === null;
}
