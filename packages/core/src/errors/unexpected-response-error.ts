import { describeValue } from "../values/describe-value.js";
import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.unexpected-response");

/**
 * `send` returned something its adapter does not read: neither the vendor's response nor its
 * stream (a number, another vendor's response, the SDK's `.withResponse()` wrapper, the message
 * taken out of a completion), or a stream with an event that is not the vendor's. `runToolLoop`
 * checks with the adapter's `isResponse` and `isStreamEvent`, and throws this as the `cause` of a
 * `ToolLoopError` instead of letting the adapter fail on it with a `TypeError`.
 */
export class UnexpectedResponseError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The adapter that could not read it (`openai-chat`, ...). */
  declare readonly provider: string;
  /** What the adapter reads, in the vendor SDK's type names. */
  declare readonly expected: string;
  /** What arrived: the value `send` returned, or the event of its stream. */
  declare readonly received: unknown;

  /**
   * @param types the adapter's `responseTypes`
   * @param inStream true when `received` is an event of the stream `send` returned
   */
  constructor(
    provider: string,
    types: { readonly response: string; readonly streamEvent: string },
    received: unknown,
    inStream: boolean,
  ) {
    const expected = inStream
      ? `${types.streamEvent} events`
      : `a ${types.response}, or a stream of ${types.streamEvent} events`;
    super(
      inStream
        ? `[toolbatch/core] send returned a stream with an event the ${provider} adapter cannot read: ${describeReceived(received)}, where it reads ${expected}. Return the stream of the vendor whose adapter you pass.`
        : `[toolbatch/core] send returned ${describeReceived(received)}, which the ${provider} adapter cannot read: it reads ${expected}. Return what the vendor SDK's call resolves with (not a message taken out of it, nor .withResponse()'s wrapper), from the vendor whose adapter you pass.`,
    );
    this[marker] = true;
    this.name = "UnexpectedResponseError";
    this.provider = provider;
    this.expected = expected;
    this.received = received;
  }

  static override isInstance(value: unknown): value is UnexpectedResponseError {
    return hasErrorMarker(value, marker);
  }
}

/** A value as a programmer recognises it: an object by its class, `type` and first keys. */
function describeReceived(value: unknown): string {
  if (typeof value !== "object" || value === null) return describeValue(value);
  try {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
      ?.constructor?.name;
    const kind = typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
    const type = (value as { type?: unknown }).type;
    const keys = Object.keys(value);
    const listed = `${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""}`;
    return `${kind}${typeof type === "string" ? ` of type ${JSON.stringify(type)}` : ""} with keys ${listed || "(none)"}`;
  } catch {
    return "an object"; // a revoked Proxy
  }
}
