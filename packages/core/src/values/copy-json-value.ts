/**
 * A deep copy of JSON data as plain arrays and objects, for transcript codecs: what a codec
 * returns then shares nothing with what it was given (editing a rendered history never edits its
 * transcript), and a copy of a transcript renders exactly as the original, since an object
 * without a prototype (`Object.create(null)`, some parsers) comes back as an ordinary one.
 * Values that are not arrays or objects are returned as they are.
 */
export function copyJsonValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJsonValue) as T;
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines own data properties: a `__proto__` key stays a key, not a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, copyJsonValue(inner)]),
  ) as T;
}
