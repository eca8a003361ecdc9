import { hasErrorMarker, ToolbatchError } from "@toolbatch/core";

const marker = Symbol.for("toolbatch.error.candidate-not-found");

/** The response has candidates, but none of the index the adapter was told to read (`candidateCount > 1`). */
export class CandidateNotFoundError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The candidate index that was asked for. */
  declare readonly candidate: number;
  /** The candidate indices the response has. */
  declare readonly available: readonly number[];

  constructor(candidate: number, available: readonly number[]) {
    super(
      `[toolbatch/google] The response has no candidate ${candidate}; it has ${available.join(", ")}. Pass { candidate } to the adapter to read another one.`,
    );
    this[marker] = true;
    this.name = "CandidateNotFoundError";
    this.candidate = candidate;
    this.available = available;
  }

  static override isInstance(value: unknown): value is CandidateNotFoundError {
    return hasErrorMarker(value, marker);
  }
}
