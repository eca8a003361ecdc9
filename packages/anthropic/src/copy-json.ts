/**
 * A deep copy of JSON data as plain arrays and objects, so what a codec returns shares nothing
 * with what it was given (a caller editing a rendered history never edits its transcript), and
 * a copy of a transcript renders exactly as the original: an object without a prototype (as
 * `Object.create(null)` or some parsers make them) comes back as an ordinary one.
 */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines own data properties: a `__proto__` key stays a key.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, copyJson(inner)]),
  ) as T;
}
