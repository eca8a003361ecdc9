import type { ToolCall } from "@toolbatch/core";
import type { ContentKind, RedactHook } from "./tool-tracer-options.js";

/**
 * Content as a span attribute value: the redacted value, a string as it is and anything else as
 * JSON; `undefined` when the hook drops it, throws, or the value has no JSON form (a cycle, a
 * BigInt), so nothing unredacted or half-serialized is ever recorded.
 */
export function contentAttribute(
  redact: RedactHook | undefined,
  kind: ContentKind,
  value: unknown,
  call: ToolCall,
): string | undefined {
  try {
    const kept = redact ? redact(kind, value, call) : value;
    if (kept === undefined) return undefined;
    if (typeof kept === "string") return kept;
    const json: unknown = JSON.stringify(kept);
    return typeof json === "string" ? json : undefined;
  } catch {
    return undefined;
  }
}
