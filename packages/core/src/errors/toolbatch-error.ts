const marker = Symbol.for("toolbatch.error");

/** Reads a `Symbol.for` marker, so `isInstance` checks hold across duplicate installs of a package. */
export function hasErrorMarker(value: unknown, symbol: symbol): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[symbol] === true
  );
}

/**
 * Base class of every error toolbatch throws. toolbatch throws only for programmer errors (a tool
 * defined twice, a result list that does not match its batch, an invalid option); what goes wrong
 * in a single tool call is returned as a `ToolResult` with `ok: false` instead.
 */
export class ToolbatchError extends Error {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this[marker] = true;
    this.name = "ToolbatchError";
  }

  /** True for any toolbatch error, from this install of the package or another one. */
  static isInstance(value: unknown): value is ToolbatchError {
    return hasErrorMarker(value, marker);
  }
}
