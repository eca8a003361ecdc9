/**
 * True for a JSON object: an object that is neither `null` nor an array. Codecs read histories
 * loaded from storage as untyped JSON; this is the check before reading a field.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
