import {
  checkHistoryField,
  describeValue,
  type HistoryFieldType,
  InvalidHistoryError,
  isJsonObject,
} from "@toolbatch/core";

const SOURCE = "toolbatch/openai";

/**
 * A history loaded from storage is untyped JSON: these checks turn what the readers could not
 * read (a TypeError, or content silently read as no text) into an {@link InvalidHistoryError}.
 */
export function invalidEntry(at: number, message: string): InvalidHistoryError {
  return new InvalidHistoryError(message, at, SOURCE);
}

/**
 * A checker of the optional fields of entry `at`: each absent or of its type (see
 * `checkHistoryField`), or an {@link InvalidHistoryError} naming it.
 */
export function fieldChecker(at: number) {
  return (value: unknown, type: HistoryFieldType, where: string): void =>
    checkHistoryField(value, type, at, where, SOURCE);
}

/**
 * Checks a message's `content` (or an output's `output`): a string, a list of part objects, or
 * absent (`null` or `undefined`: no text).
 */
export function checkContent(content: unknown, at: number, field: string): void {
  if (content === undefined || content === null || typeof content === "string") return;
  if (!Array.isArray(content)) {
    throw invalidEntry(
      at,
      `.${field} is not content: expected a string or an array of parts, got ${describeValue(content)}.`,
    );
  }
  content.forEach((part: unknown, index) => {
    if (!isJsonObject(part)) {
      throw invalidEntry(
        at,
        `.${field}[${index}] is not a content part: expected an object with a type, got ${describeValue(part)}.`,
      );
    }
  });
}
