import { describeThrown } from "../values/describe-thrown.js";

// Deeper than this, the fast walk hands over to JSON.stringify, which also detects cycles.
const MAX_FAST_DEPTH = 32;

/**
 * Returns why a value cannot be serialized as JSON, or `undefined` when it can. Plain data (what
 * tools return nearly always) is checked by a walk that allocates nothing; anything else (class
 * instances, `toJSON`, very deep values) is checked by `JSON.stringify` itself. It never throws:
 * a value that cannot even be read (a getter or a Proxy's trap throws) has that as its problem.
 */
export function findSerializationProblem(value: unknown): string | undefined {
  try {
    if (isPlainJson(value, 0)) return undefined;
    JSON.stringify(value);
    return undefined;
  } catch (thrown) {
    return describeThrown(thrown);
  }
}

function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      break;
    default:
      // bigint throws in JSON.stringify; functions and symbols are dropped, as JSON does.
      return typeof value !== "bigint";
  }
  if (value === null) return true;
  if (depth >= MAX_FAST_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if ("toJSON" in value) return false;
  for (const key in value) {
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
