type Entry = Record<string, unknown>;

/**
 * The shape of a follow-up, for people: `assistant[tool_calls×4] → tool×4`,
 * `user[tool_result×4]`, `user[functionResponse×4]`.
 */
export function describeHistory(messages: readonly unknown[]): string {
  const labels = messages.map((message) => {
    const entry = message as Entry;
    const head = String(entry.role ?? entry.type ?? "?");
    if (Array.isArray(entry.tool_calls)) {
      return `${head}[${group(
        entry.tool_calls.map(() => "tool_call"),
        " + ",
      )}]`;
    }
    const inner = [entry.content, entry.parts].find(Array.isArray) as Entry[] | undefined;
    if (!inner || inner.length === 0) return head;
    const kinds = inner.map((block) =>
      String(block.type ?? Object.keys(block).find((key) => key !== "thoughtSignature") ?? "?"),
    );
    return `${head}[${group(kinds, " + ")}]`;
  });
  return group(labels, " → ");
}

function group(labels: readonly string[], separator: string): string {
  const out: string[] = [];
  let run = 1;
  labels.forEach((label, i) => {
    if (labels[i + 1] === label) {
      run++;
      return;
    }
    out.push(run > 1 ? `${label}×${run}` : label);
    run = 1;
  });
  return out.join(separator);
}
