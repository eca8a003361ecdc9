import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.choice-not-found");

/** The completion has no choice of the index the adapter was told to read (`n > 1`). */
export class ChoiceNotFoundError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The index that was asked for. */
  declare readonly choice: number;
  /** The indices the completion has. */
  declare readonly available: readonly number[];

  constructor(choice: number, available: readonly number[]) {
    super(
      `[toolbatch/openai] The completion has no choice ${choice}; it has ${available.length > 0 ? available.join(", ") : "none"}. Pass { choice } to openaiChat() to read another one.`,
    );
    this[marker] = true;
    this.name = "ChoiceNotFoundError";
    this.choice = choice;
    this.available = available;
  }

  static override isInstance(value: unknown): value is ChoiceNotFoundError {
    return hasErrorMarker(value, marker);
  }
}
