import { InvalidHistoryError } from "../errors/invalid-history-error.js";
import { copyJsonValue } from "../values/copy-json-value.js";
import { describeValue } from "../values/describe-value.js";

/**
 * The first step of every codec's `read`: a history handed over as untyped data (loaded from
 * storage, or by mistake) made plain JSON data the codec can read without surprises. It checks
 * that the history is an array and copies each entry with `copyJsonValue`: objects without a
 * prototype become ordinary ones, accessors and proxies are read once, array holes become
 * `undefined`; a cycle, nesting deeper than `MAX_JSON_DEPTH`, a BigInt, symbol or function, and a
 * value that throws when read are refused. The codec then checks its vendor's shapes on data that
 * holds no trap.
 *
 * @param source the codec's package, e.g. `toolbatch/anthropic`, to start error messages.
 * @throws {InvalidHistoryError} naming the entry and where in it the fault is.
 */
export function copyHistory(history: unknown, source: string): unknown[] {
  let length: number;
  try {
    if (!Array.isArray(history)) {
      throw new InvalidHistoryError(
        ` is not a history: expected an array of messages, got ${describeValue(history)}.`,
        -1,
        source,
      );
    }
    length = history.length;
  } catch (error) {
    if (InvalidHistoryError.isInstance(error)) throw error;
    // A revoked proxy, or a proxy whose trap threw.
    throw new InvalidHistoryError(" could not be read as an array.", -1, source, { cause: error });
  }
  const entries: unknown[] = [];
  for (let index = 0; index < length; index++) {
    const fault = (where: string, problem: string) =>
      new InvalidHistoryError(`${where} ${problem}`, index, source);
    let entry: unknown;
    try {
      entry = (history as unknown[])[index];
    } catch (error) {
      throw new InvalidHistoryError(" could not be read.", index, source, { cause: error });
    }
    entries.push(copyJsonValue(entry, fault));
  }
  return entries;
}
