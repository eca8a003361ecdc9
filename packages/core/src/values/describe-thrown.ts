import { describeValue } from "./describe-value.js";

/** What the model reads when a thrown value cannot be read at all. */
const UNDESCRIBABLE = "(an error that cannot be described)";

/**
 * Describes anything that was thrown (by a tool, its validator or lock function, or by
 * `JSON.stringify`), for a message the model reads: an Error's message (or its name when the
 * message is empty), a string as it is, anything else as JSON or, failing that, `String(value)`.
 *
 * Total: it returns a string whatever the value does when read. A `message` getter that throws,
 * a message that is a null-prototype object, a BigInt inside an object without a prototype, a
 * Proxy whose traps throw or that was revoked: each ends in a fallback text, never in an
 * exception, because the description is written while a call's result is being made, and an
 * exception there would cost the call its result.
 */
export function describeThrown(thrown: unknown): string {
  if (typeof thrown === "string") return thrown || "(an empty string was thrown)";
  if (thrown === undefined || thrown === null) return `(${String(thrown)} was thrown, no message)`;
  try {
    // instanceof reads the prototype chain, which a Proxy's getPrototypeOf trap may refuse.
    if (thrown instanceof Error) {
      const message: unknown = thrown.message;
      if (message !== "" && message !== undefined && message !== null) return readableText(message);
      const name: unknown = thrown.name;
      return typeof name === "string" && name !== "" ? name : UNDESCRIBABLE;
    }
    return readableText(thrown);
  } catch {
    return UNDESCRIBABLE;
  }
}

/**
 * A string as it is, anything else as JSON or else `String(value)`. May throw (an object without
 * a prototype has no `toString`, a Proxy's trap may throw): callers catch.
 */
export function readableText(value: unknown): string {
  if (typeof value === "string") return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A BigInt, a cycle, a throwing toJSON or getter: String() may still read it.
  }
  return json ?? String(value);
}

/**
 * Describes a thrown value for a message toolbatch throws to a programmer (a `cause` in an error's
 * message): an Error as "Name: message", anything else as "it threw <value>". Total, like
 * `describeThrown`: an error raised while the cause is being described would replace the error
 * that carries the caller's partial result.
 */
export function describeCauseForMessage(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const name: unknown = thrown.name;
      return `${typeof name === "string" && name !== "" ? name : "Error"}: ${describeThrown(thrown)}`;
    }
  } catch {
    // A Proxy's getPrototypeOf or the name getter threw: described as a value below.
  }
  return `it threw ${describeValue(thrown)}`;
}
