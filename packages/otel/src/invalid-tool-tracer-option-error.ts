import { hasErrorMarker, InvalidOptionError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.invalid-tool-tracer-option");

/**
 * An option of `createToolTracer` has a value it cannot work with (a programmer error): core's
 * `InvalidOptionError` (its `isInstance` holds too) under the tracer's own name.
 */
export class InvalidToolTracerOptionError extends InvalidOptionError {
  declare readonly [marker]: true;

  constructor(option: string, expected: string, got: unknown) {
    super(option, got, expected, "toolbatch/otel");
    this[marker] = true;
    this.name = "InvalidToolTracerOptionError";
  }

  static override isInstance(value: unknown): value is InvalidToolTracerOptionError {
    return hasErrorMarker(value, marker);
  }
}
