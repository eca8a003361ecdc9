import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-queue-option");

/** An option of the queue executor or the tool worker has a value they cannot work with. */
export class InvalidQueueOptionError extends ToolbatchError {
  declare readonly [marker]: true;
  /** The option's name, e.g. `schema`. */
  declare readonly option: string;
  /** The value that was given. */
  declare readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(`[toolbatch/pg-boss] Option "${option}" must be ${expected}; got ${describe(value)}.`);
    this[marker] = true;
    this.name = "InvalidQueueOptionError";
    this.option = option;
    this.value = value;
  }

  static override isInstance(value: unknown): value is InvalidQueueOptionError {
    return hasErrorMarker(value, marker);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}
