/**
 * A short description of a value for an error message's "got ..." part: `null`, `42`, a string
 * quoted and cut to 40 characters, `an array`, `an object`. It never throws, whatever the value
 * (a revoked Proxy cannot even say whether it is an array: it is described as an object).
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value === null) return "null";
  if (typeof value === "object") return isArray(value) ? "an array" : "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

function isArray(value: object): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}
