import { InvalidHistoryError } from "../errors/invalid-history-error.js";
import { describeValue } from "../values/describe-value.js";
import { isJsonObject } from "../values/is-json-object.js";

/** The JSON types a codec may require of a field it reads. */
export type HistoryFieldType = "string" | "object" | "array";

const expected: Readonly<Record<HistoryFieldType, string>> = {
  string: "a string",
  object: "an object",
  array: "an array",
};

/**
 * Checks a field a codec reads from a history entry: absent (`undefined` or `null`) or of `type`.
 * A tool name of 42 would otherwise be rendered as a number (which the vendor refuses), an object
 * used as an id would throw a TypeError, and a string where an object goes would be spread into
 * one key per character.
 *
 * @param where the field's path in the entry, as it continues `history[at]`:
 *   `.tool_calls[0].function.name`.
 * @param source the codec's package, e.g. `toolbatch/openai`, to start the message.
 * @throws {InvalidHistoryError} naming the entry, the field and what it held.
 */
export function checkHistoryField(
  value: unknown,
  type: HistoryFieldType,
  at: number,
  where: string,
  source: string,
): void {
  if (value === undefined || value === null) return;
  const ok =
    type === "string"
      ? typeof value === "string"
      : type === "array"
        ? Array.isArray(value)
        : isJsonObject(value);
  if (!ok) {
    throw new InvalidHistoryError(
      `${where} is not ${expected[type]}: got ${describeValue(value)}.`,
      at,
      source,
    );
  }
}
