import { hasErrorMarker, ToolbatchError } from "./toolbatch-error.js";

const marker = Symbol.for("toolbatch.error.checkpoint-version");

/**
 * A checkpoint was written under a `schemaVersion` this toolbatch cannot read: a newer one (written
 * by a later `@toolbatch/core`), or an older one that no migration converts. It is refused rather
 * than read as if it were the current schema, which could run a call twice or drop a result.
 */
export class CheckpointVersionError extends ToolbatchError {
  // Declared, then set in the constructor: a computed class field would keep this class in every
  // bundle, and each field definition would cost bytes in it.
  declare readonly [marker]: true;
  /** The `schemaVersion` the checkpoint carries. */
  declare readonly schemaVersion: number;
  /** The schema versions this toolbatch reads: the current one, and every older one it migrates. */
  declare readonly supportedVersions: readonly number[];

  constructor(schemaVersion: number, supportedVersions: readonly number[]) {
    const newest = Math.max(...supportedVersions);
    super(
      `[toolbatch/core] The checkpoint has schemaVersion ${schemaVersion}; this @toolbatch/core ` +
        `reads ${supportedVersions.join(", ")}. ${
          schemaVersion > newest
            ? "It was written by a newer @toolbatch/core: resume it with that version or a later one."
            : "It was written by an older @toolbatch/core that this one no longer reads: resume " +
              "it with the version that wrote it."
        }`,
    );
    this[marker] = true;
    this.name = "CheckpointVersionError";
    this.schemaVersion = schemaVersion;
    this.supportedVersions = supportedVersions;
  }

  static override isInstance(value: unknown): value is CheckpointVersionError {
    return hasErrorMarker(value, marker);
  }
}
