import { InvalidHistoryError } from "../errors/invalid-history-error.js";
import { describeCauseForMessage } from "./describe-thrown.js";

/**
 * How deep JSON data may nest to be copied. Conversations and tool inputs are nowhere near it
 * (serde_json refuses past 128 by default); far deeper data overflows the stack of any recursive
 * reader (the copy itself gave a RangeError around 5,000 levels).
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Makes the error for a value that is not JSON data.
 * @param where the path to the value from the one copied: `""`, `.content[2].input`.
 * @param problem what is wrong with it: `is cyclic: ...`.
 */
export type JsonValueFault = (where: string, problem: string) => Error;

const historyFault: JsonValueFault = (where, problem) =>
  new InvalidHistoryError(`${where ? ` holds a value at ${where} that` : ""} ${problem}`, -1);

/**
 * A deep copy of JSON data as plain arrays and objects, for transcript codecs: what a codec
 * returns then shares nothing with what it was given (editing a rendered history never edits its
 * transcript), and a copy of a transcript renders exactly as the original, since an object
 * without a prototype (`Object.create(null)`, some parsers) comes back as an ordinary one.
 * Strings, numbers, booleans, `null` and `undefined` are returned as they are; accessors are read
 * once, and array holes become `undefined`.
 *
 * What is not JSON data is refused: a cycle, nesting deeper than {@link MAX_JSON_DEPTH}, a
 * BigInt, symbol or function, and a value that throws when read (a getter, a proxy's trap).
 *
 * @param fault makes the error to throw, from where the value is and what is wrong with it;
 *   default an `InvalidHistoryError` (index -1) of `toolbatch/core`.
 */
export function copyJsonValue<T>(value: T, fault: JsonValueFault = historyFault): T {
  const path: (string | number)[] = [];
  const open = new Set<object>();
  let raised: Error | undefined;
  const refuse = (problem: string): never => {
    raised = fault(where(), problem);
    throw raised;
  };
  const where = () => {
    const steps = path.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`));
    // Nesting thousands deep would make a path of thousands of steps: its start and end say where.
    return steps.length > 12
      ? `${steps.slice(0, 6).join("")}…${steps.slice(-3).join("")}`
      : steps.join("");
  };
  const copy = (inner: unknown): unknown => {
    if (typeof inner !== "object" || inner === null) {
      if (typeof inner === "bigint" || typeof inner === "symbol" || typeof inner === "function") {
        refuse(`is not JSON data: got a ${typeof inner}.`);
      }
      return inner;
    }
    if (open.has(inner)) refuse("is cyclic: it contains itself.");
    if (open.size >= MAX_JSON_DEPTH) {
      refuse(`nests deeper than ${MAX_JSON_DEPTH} levels, which no conversation does.`);
    }
    open.add(inner);
    let copied: unknown;
    if (Array.isArray(inner)) {
      const items: unknown[] = [];
      for (let index = 0; index < inner.length; index++) {
        path.push(index);
        items.push(copy(inner[index]));
        path.pop();
      }
      copied = items;
    } else {
      // Own data properties: a `__proto__` key stays a key, never the prototype.
      const fields: Record<string, unknown> = {};
      for (const key of Object.keys(inner)) {
        path.push(key);
        // Read here, not by Object.entries: a getter that throws is then named by its key.
        const field = (inner as Record<string, unknown>)[key];
        Object.defineProperty(fields, key, {
          value: copy(field),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        path.pop();
      }
      copied = fields;
    }
    open.delete(inner);
    return copied;
  };
  try {
    return copy(value) as T;
  } catch (error) {
    if (error === raised) throw error;
    // A getter or a proxy's trap threw: the value cannot be read, so it is no JSON data.
    throw fault(where(), `could not be read: ${describeCauseForMessage(error)}`);
  }
}
