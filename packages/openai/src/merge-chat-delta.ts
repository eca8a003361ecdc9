import { isJsonObject } from "@toolbatch/core";

/**
 * Accumulates one field of Chat Completions message deltas that the stream assembler does not
 * read itself: DeepSeek's, Kimi's and GLM's `reasoning_content`, OpenRouter's `reasoning` and
 * `reasoning_details`, and whatever a compatible server adds next. Those servers answer 400 when
 * an assistant tool-call message comes back without them, so a streamed turn must echo them as
 * the unstreamed turn does. The rule is the one OpenAI's own stream helper applies to every delta
 * field (openai-python `lib/streaming/_deltas.py`, `accumulate_delta`):
 * - strings are concatenated;
 * - arrays are appended, except that an object entry with an integer `index` continues the entry
 *   of that index (OpenRouter streams one `reasoning_details` entry in pieces, each with its
 *   `index`; appended as they came, the echo would hold one fragment per chunk, which the server
 *   refuses: langchain-ai/langchain#36400);
 * - objects are merged field by field by this same rule, except `index` and `type`, which name
 *   the entry and its kind in every piece: the latest replaces them;
 * - any other value (a number, a boolean) is replaced by the latest one, as it is sent whole;
 * - `null` and `undefined` never replace a value (servers send `"reasoning": null` beside text);
 * - a value of another kind than the one accumulated (a string, then an array) replaces it: the
 *   server changed its mind, and the latest kind is the one it will read back.
 *
 * What it returns is built from copies, never the deltas themselves, and it is updated in place
 * by the next call (as `accumulate_delta` does): copying it on every chunk made a stream cost the
 * square of its length (20,000 chunks of new `reasoning_details` entries took 4 s, of new keys
 * 56 s).
 */
export function mergeChatDelta(accumulated: unknown, delta: unknown): unknown {
  if (delta === undefined || delta === null) return accumulated ?? delta;
  if (typeof delta === "string") {
    return typeof accumulated === "string" ? accumulated + delta : delta;
  }
  if (Array.isArray(delta)) {
    const entries = Array.isArray(accumulated) ? accumulated : [];
    for (const entry of delta) addEntry(entries, entry);
    return entries;
  }
  if (isJsonObject(delta)) return mergeFields(isJsonObject(accumulated) ? accumulated : {}, delta);
  return delta;
}

/** Merges a delta's fields into `merged`, which it updates and returns. */
function mergeFields(
  merged: Record<string, unknown>,
  delta: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(delta)) {
    // Own properties only: a `__proto__` key is data here, never the prototype.
    const before = Object.hasOwn(merged, key) ? merged[key] : undefined;
    const after =
      key === "index" || key === "type" ? (value ?? before) : mergeChatDelta(before, value);
    Object.defineProperty(merged, key, {
      value: after,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/** Each accumulated array's object entries by their integer `index`, to find one in O(1). */
const entriesByIndex = new WeakMap<unknown[], Map<number, Record<string, unknown>>>();

/** Adds a delta's array entry to `entries`: merged into the entry of its index, else appended. */
function addEntry(entries: unknown[], entry: unknown): void {
  let byIndex = entriesByIndex.get(entries);
  if (!byIndex) {
    // An array this function did not make (or one it has not seen since): indexed once.
    byIndex = new Map();
    for (const existing of entries) {
      const index = integerIndex(existing);
      if (index !== undefined && !byIndex.has(index)) {
        byIndex.set(index, existing as Record<string, unknown>);
      }
    }
    entriesByIndex.set(entries, byIndex);
  }
  const index = integerIndex(entry);
  const existing = index === undefined ? undefined : byIndex.get(index);
  if (existing) {
    mergeFields(existing, entry as Record<string, unknown>);
    return;
  }
  const added = mergeChatDelta(undefined, entry);
  entries.push(added);
  if (index !== undefined) byIndex.set(index, added as Record<string, unknown>);
}

function integerIndex(entry: unknown): number | undefined {
  return isJsonObject(entry) && Number.isInteger(entry.index) ? (entry.index as number) : undefined;
}
