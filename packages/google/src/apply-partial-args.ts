import { isJsonObject } from "@toolbatch/core";
import type { WireFunctionCall, WirePartialArg } from "./decode-gemini-part.js";

/** The arguments of one streamed Vertex call, built up from its `partialArgs` pieces. */
export interface PartialArgsBuilder {
  /**
   * Applies one part's pieces, in order, then merges the whole `args` it may carry next to them.
   * Returns why a piece was skipped, if any was.
   */
  apply(call: WireFunctionCall): string[];
  /** The arguments so far. */
  readonly value: Record<string, unknown>;
}

type Segment = string | number;

/**
 * Creates the builder for one call. A piece sets the value at its JSON path, creating objects and
 * arrays on the way; a string piece is appended to the string the previous piece of the same path
 * left open (`willContinue: true`), so `"San "` then `"Francisco"` makes `"San Francisco"`.
 */
export function createPartialArgsBuilder(): PartialArgsBuilder {
  const value: Record<string, unknown> = {};
  const continuing = new Set<string>();
  return {
    value,
    apply(call) {
      const problems: string[] = [];
      for (const piece of call.partialArgs ?? []) {
        const path = piece.jsonPath ?? "";
        const segments = parseJsonPath(path);
        if (!segments?.length) {
          problems.push(`a partialArgs piece has a JSON path toolbatch cannot read: "${path}"`);
          continue;
        }
        const parent = parentAt(value, segments);
        const key = segments.at(-1) as Segment;
        const next = pieceValue(piece);
        const previous =
          continuing.has(path) && Object.hasOwn(parent, key) ? parent[key] : undefined;
        define(
          parent,
          key,
          typeof next === "string" && typeof previous === "string" ? previous + next : next,
        );
        if (typeof next === "string" && piece.willContinue === true) continuing.add(path);
        else continuing.delete(path);
      }
      if (isJsonObject(call.args)) Object.assign(value, call.args);
      return problems;
    },
  };
}

/** A piece's value: its string, number or boolean, else null (`nullValue`, the only other one). */
function pieceValue(piece: WirePartialArg): unknown {
  if (piece.stringValue !== undefined) return piece.stringValue;
  if (piece.numberValue !== undefined) return piece.numberValue;
  if (piece.boolValue !== undefined) return piece.boolValue;
  return null;
}

/**
 * Reads the subset of RFC 9535 paths Vertex sends: `$`, then `.name`, `['name']` / `["name"]` or
 * `[0]` segments. Returns `undefined` for anything else (filters, wildcards).
 */
export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotted = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
    const indexed = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[(['"])((?:\\.|(?!\1).)*)\1\]/.exec(rest);
    if (dotted) segments.push(dotted[1] as string);
    else if (indexed) segments.push(Number(indexed[1]));
    else if (quoted) segments.push((quoted[2] as string).replace(/\\(.)/g, "$1"));
    else return undefined;
    rest = rest.slice(((dotted ?? indexed ?? quoted) as RegExpExecArray)[0].length);
  }
  return segments;
}

/** The object or array that holds the value at `segments`, created on the way where missing. */
function parentAt(root: Record<string, unknown>, segments: readonly Segment[]) {
  let node: Record<Segment, unknown> = root;
  for (let position = 0; position < segments.length - 1; position++) {
    const segment = segments[position] as Segment;
    let child = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (typeof child !== "object" || child === null) {
      child = typeof segments[position + 1] === "number" ? [] : {};
      define(node, segment, child);
    }
    node = child as Record<Segment, unknown>;
  }
  return node;
}

// The keys are JSON the model wrote: define them, never assign, so "__proto__" stays a plain key.
function define(node: Record<Segment, unknown>, key: Segment, value: unknown) {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
