import { InvalidCheckpointError } from "../errors/invalid-checkpoint-error.js";
import { copyJsonValue } from "../values/copy-json-value.js";
import { describeValue } from "../values/describe-value.js";
import { isJsonObject } from "../values/is-json-object.js";

// Readers for the fields of a checkpoint loaded as untyped data. Each takes the path of the value
// it reads, so a refusal names the field: `checkpoint.batch.calls[2].id is not a string: got 42`.

/** Refuses the value at `path`. */
export function refuse(path: string, problem: string): never {
  throw new InvalidCheckpointError(path, problem);
}

/** The path of a key in an object, quoted unless it is a plain name (a call id may be anything). */
export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The value at `path`, which must be an object (not null, not an array). */
export function readObject(value: unknown, path: string): Record<string, unknown> {
  if (!isJsonObject(value)) refuse(path, `is not an object: got ${describeValue(value)}`);
  return value;
}

/** An own field of an object: a field inherited from a prototype (`toString`) is absent. */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function readString(object: Record<string, unknown>, key: string, path: string): string {
  const value = own(object, key);
  if (typeof value !== "string") {
    refuse(keyPath(path, key), `is not a string: got ${describeValue(value)}`);
  }
  return value;
}

export function readOptionalString(
  object: Record<string, unknown>,
  key: string,
  path: string,
): string | undefined {
  return own(object, key) === undefined ? undefined : readString(object, key, path);
}

export function readBoolean(object: Record<string, unknown>, key: string, path: string): boolean {
  const value = own(object, key);
  if (typeof value !== "boolean") {
    refuse(keyPath(path, key), `is not a boolean: got ${describeValue(value)}`);
  }
  return value;
}

/** A time in epoch milliseconds: a finite number. */
export function readTime(object: Record<string, unknown>, key: string, path: string): number {
  const value = own(object, key);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    refuse(keyPath(path, key), `is not a time in epoch milliseconds: got ${describeValue(value)}`);
  }
  return value;
}

export function readOptionalTime(
  object: Record<string, unknown>,
  key: string,
  path: string,
): number | undefined {
  return own(object, key) === undefined ? undefined : readTime(object, key, path);
}

export function readArray(
  object: Record<string, unknown>,
  key: string,
  path: string,
): readonly unknown[] {
  const value = own(object, key);
  if (!Array.isArray(value))
    refuse(keyPath(path, key), `is not an array: got ${describeValue(value)}`);
  return value;
}

/** A field of JSON data of any shape (a vendor's turn, a tool's input or output), copied. */
export function readJson(object: Record<string, unknown>, key: string, path: string): unknown {
  const where = keyPath(path, key);
  return copyJsonValue(
    own(object, key),
    (inner, problem) => new InvalidCheckpointError(`${where}${inner}`, problem),
  );
}

/** Sets a field as an own data property: a call id `__proto__` stays a key, never the prototype. */
export function setField<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
