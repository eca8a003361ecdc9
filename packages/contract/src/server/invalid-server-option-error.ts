import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-server-option");

/**
 * An option given to the loopback vendor server, or to one of its reply builders, has a value the
 * server cannot serve: an unknown vendor, a reply script that is neither a list nor a function, a
 * chunk size that is not a positive integer. Thrown when the option is given, not when a request
 * arrives, so the mistake surfaces in the test that made it rather than as a puzzling HTTP error.
 */
export class InvalidServerOptionError extends ToolbatchError {
  readonly [marker] = true;
  /** The option's name, e.g. `chunkBytes` or `replies`. */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string, options?: { cause?: unknown }) {
    super(
      `[toolbatch/contract] Option "${option}" must be ${expected}; got ${describeValue(value)}.`,
      options,
    );
    this.name = "InvalidServerOptionError";
    this.option = option;
    this.value = value;
  }

  static override isInstance(value: unknown): value is InvalidServerOptionError {
    // A marker rather than `instanceof`, so the check holds across duplicate installs.
    return hasErrorMarker(value, marker);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined) {
    return String(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
