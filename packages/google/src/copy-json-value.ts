/**
 * A deep copy of a JSON value as plain arrays and objects (`Object.prototype`, even where the
 * original had none), so a rendered history shares nothing with the transcript it came from and
 * is the same whichever copy of a transcript was rendered. Other values are returned as they are.
 */
export function copyJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJsonValue);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // `__proto__` as an own key must stay data, not become the copy's prototype.
    Object.defineProperty(copy, key, {
      value: copyJsonValue(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
