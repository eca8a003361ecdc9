import { InvalidOptionError } from "../errors/invalid-option-error.js";

/**
 * The one JSON text of a value that every process computes alike, so that a digest or signature
 * of it can be recomputed anywhere: the JSON Canonicalization Scheme (RFC 8785) for the values
 * tool inputs hold. Object keys sorted by UTF-16 code units (JavaScript's default sort), no
 * whitespace, strings and numbers as `JSON.stringify` writes them (RFC 8785's own number form:
 * shortest round-trip, `-0` as `0`, exponents from 1e21).
 *
 * Only JSON data is accepted, since anything else has no stable text: `null`, booleans, finite
 * numbers, strings, arrays and plain objects (prototype `Object.prototype` or `null`). A
 * `NaN` or `Infinity`, `undefined` (also as a property value or array item), a BigInt, symbol,
 * function, Date, Map, class instance, cycle, or nesting deeper than 256 levels is refused with
 * an `InvalidOptionError` naming where it is.
 */
export function canonicalJson(value: unknown, name = "input"): string {
  const open = new Set<object>();
  const write = (inner: unknown, where: string): string => {
    const refuse = (problem: string): never => {
      throw new InvalidOptionError(`${name}${where}`, inner, `JSON data (${problem})`);
    };
    if (inner === null || typeof inner === "boolean" || typeof inner === "string") {
      return JSON.stringify(inner);
    }
    if (typeof inner === "number") {
      return Number.isFinite(inner) ? JSON.stringify(inner) : refuse("a finite number");
    }
    if (typeof inner !== "object") return refuse(`no ${typeof inner}`);
    if (open.has(inner)) refuse("no cycle");
    if (open.size >= 256) refuse("nested at most 256 levels deep");
    open.add(inner);
    let text: string;
    if (Array.isArray(inner)) {
      text = `[${Array.from(inner, (item, index) => write(item, `${where}[${index}]`)).join(",")}]`;
    } else {
      const prototype: unknown = Object.getPrototypeOf(inner);
      if (prototype !== Object.prototype && prototype !== null) refuse("a plain object");
      const keys = Object.keys(inner).sort();
      const fields = keys.map(
        (key) =>
          `${JSON.stringify(key)}:${write((inner as Record<string, unknown>)[key], `${where}.${key}`)}`,
      );
      text = `{${fields.join(",")}}`;
    }
    open.delete(inner);
    return text;
  };
  return write(value, "");
}
