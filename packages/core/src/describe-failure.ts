import type { StandardSchemaIssue } from "./standard-schema.js";

/** Describes anything a tool threw, for a message the model reads. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown === "string") return thrown || "(an empty string was thrown)";
  if (thrown === undefined || thrown === null) return `(${String(thrown)} was thrown, no message)`;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}

/** Writes a schema's issues as a list a model can act on: where, then what is wrong. */
export function describeIssues(
  toolName: string,
  issues: ReadonlyArray<StandardSchemaIssue>,
): string {
  const lines = issues.map((issue) => `- ${describePath(issue.path)}: ${issue.message}`);
  return `The arguments for tool "${toolName}" do not match its input schema:\n${lines.join("\n")}\nFix these and call the tool again.`;
}

function describePath(path: StandardSchemaIssue["path"]): string {
  if (!path || path.length === 0) return "(the arguments as a whole)";
  let text = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}
