import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.too-many-tools");

/** More tools than OpenAI accepts in one request (400 `array_above_max_length`). */
export class TooManyToolsError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** How many tools were given. */
  declare readonly count: number;
  /** The most the API accepts. */
  declare readonly limit: number;

  constructor(count: number, limit: number) {
    super(
      `[toolbatch/openai] OpenAI accepts at most ${limit} tools per request; got ${count}. Send a subset per request (for instance the tools relevant to the task).`,
    );
    this[marker] = true;
    this.name = "TooManyToolsError";
    this.count = count;
    this.limit = limit;
  }

  static override isInstance(value: unknown): value is TooManyToolsError {
    return hasErrorMarker(value, marker);
  }
}
