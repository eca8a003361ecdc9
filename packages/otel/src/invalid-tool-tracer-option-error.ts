import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-tool-tracer-option");

/** An option of `createToolTracer` has a value it cannot work with (a programmer error). */
export class InvalidToolTracerOptionError extends ToolbatchError {
  declare readonly [marker]: true;
  /** The option's name, e.g. `redact`. */
  declare readonly option: string;

  constructor(option: string, expected: string, got: unknown) {
    super(`[toolbatch/otel] Option "${option}" must be ${expected}; got ${typeName(got)}.`);
    this[marker] = true;
    this.name = "InvalidToolTracerOptionError";
    this.option = option;
  }

  static override isInstance(value: unknown): value is InvalidToolTracerOptionError {
    return hasErrorMarker(value, marker);
  }
}

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
