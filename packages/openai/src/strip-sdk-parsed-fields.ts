/**
 * The `openai` SDK's helpers (`chat.completions.stream()`, `.parse()`, `responses.stream()`,
 * `.parse()`) add client-side fields to what the API returned: `parsed` on messages and output
 * text, `parsed_arguments` on calls. They are not part of the API's request schema, so they are
 * removed before a turn is echoed back; everything else stays verbatim. Objects and arrays come
 * back as copies (the turn is JSON data, so a copy holds the same values).
 */
export function stripSdkParsedFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripSdkParsedFields) as T;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== "parsed" && key !== "parsed_arguments") out[key] = stripSdkParsedFields(child);
  }
  return out as T;
}
