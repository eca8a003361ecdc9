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
 * - `null` and `undefined` never replace a value (servers send `"reasoning": null` beside text).
 */
export function mergeChatDelta(accumulated: unknown, delta: unknown): unknown {
  if (delta === undefined || delta === null) return accumulated ?? delta;
  if (typeof delta === "string") {
    return typeof accumulated === "string" ? accumulated + delta : delta;
  }
  if (Array.isArray(delta))
    return mergeEntries(Array.isArray(accumulated) ? accumulated : [], delta);
  if (isJsonObject(delta)) return mergeFields(isJsonObject(accumulated) ? accumulated : {}, delta);
  return delta;
}

function mergeFields(
  accumulated: Record<string, unknown>,
  delta: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...accumulated };
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

function mergeEntries(accumulated: readonly unknown[], delta: readonly unknown[]): unknown[] {
  const merged = [...accumulated];
  for (const entry of delta) {
    const index = isJsonObject(entry) && Number.isInteger(entry.index) ? entry.index : undefined;
    const at =
      index === undefined
        ? -1
        : merged.findIndex((existing) => isJsonObject(existing) && existing.index === index);
    if (at >= 0)
      merged[at] = mergeFields(
        merged[at] as Record<string, unknown>,
        entry as Record<string, unknown>,
      );
    else merged.push(mergeChatDelta(undefined, entry));
  }
  return merged;
}
