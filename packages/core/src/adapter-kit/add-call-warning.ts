import type { BatchWarning } from "../batch/tool-call.js";

/** A warning standing for several calls: the first call's, and the indexes of the others. */
interface MergedWarning {
  readonly first: BatchWarning;
  readonly more: number[];
  /** The warning as it is in the list now. */
  current: BatchWarning;
  /** Where it was put in the list: looked at first, so a long turn does not scan the list per call. */
  at: number;
}

/** The merged warnings of each batch (its warnings list), by code. */
const mergedByList = new WeakMap<BatchWarning[], Map<string, MergedWarning>>();

// How many further call indexes a merged warning lists before it says "…".
const LISTED = 10;

/**
 * Adds a warning about one call to a batch's warnings, at most once per code. A server's quirk
 * usually holds for every call of its turns (Ollama sends every call's arguments as an object,
 * vLLM's ids are all too long, some servers send no ids): said once per call, a 200-call turn
 * carried 200 copies of it. The first call's warning keeps its text, followed by how many more
 * calls had the same and which; once it is about several calls it has no `callIndex`.
 */
export function addCallWarning(
  warnings: BatchWarning[],
  warning: BatchWarning & { readonly callIndex: number },
): void {
  let byCode = mergedByList.get(warnings);
  if (!byCode) {
    byCode = new Map();
    mergedByList.set(warnings, byCode);
  }
  const merged = byCode.get(warning.code);
  // Where it was put, unless the caller has moved it since (then searched) or removed it (-1).
  let at = -1;
  if (merged) {
    at = warnings[merged.at] === merged.current ? merged.at : warnings.indexOf(merged.current);
  }
  if (!merged || at < 0) {
    // The first of its code (or the list was rebuilt since): added as it is.
    byCode.set(warning.code, { first: warning, more: [], current: warning, at: warnings.length });
    warnings.push(warning);
    return;
  }
  merged.at = at;
  merged.more.push(warning.callIndex);
  const listed = merged.more.slice(0, LISTED).join(", ");
  const { callIndex: _one, ...first } = merged.first;
  merged.current = {
    ...first,
    // "each separately": read as "the same id" otherwise, for a warning naming a synthesized id.
    message: `${first.message} Likewise for ${merged.more.length} more ${merged.more.length === 1 ? "call" : "calls"} of this turn (each separately): ${listed}${merged.more.length > LISTED ? ", …" : ""}.`,
  };
  warnings[at] = merged.current;
}
