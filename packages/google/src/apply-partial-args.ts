import type { WirePartialArg } from "./decode-gemini-part.js";

/** The arguments of one streamed Vertex call, built up from its `partialArgs` pieces. */
export interface PartialArgsBuilder {
  /** Applies the pieces of one part, in order. Returns why a piece was skipped, if any was. */
  apply(pieces: readonly WirePartialArg[]): string[];
  /** Merges whole `args` a part may carry next to the pieces. */
  merge(args: unknown): void;
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
    apply(pieces) {
      const problems: string[] = [];
      for (const piece of pieces) {
        const path = piece.jsonPath ?? "";
        const segments = parseJsonPath(path);
        if (!segments || segments.length === 0) {
          problems.push(`a partialArgs piece has a JSON path toolbatch cannot read: "${path}"`);
          continue;
        }
        const next = pieceValue(piece);
        const previous = continuing.has(path) ? readAt(value, segments) : undefined;
        const joined =
          typeof next === "string" && typeof previous === "string" ? previous + next : next;
        writeAt(value, segments, joined);
        if (typeof next === "string" && piece.willContinue === true) continuing.add(path);
        else continuing.delete(path);
      }
      return problems;
    },
    merge(args) {
      if (typeof args === "object" && args !== null && !Array.isArray(args)) {
        Object.assign(value, args);
      }
    },
  };
}

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

function readAt(root: Record<string, unknown>, segments: readonly Segment[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment))
      return undefined;
    node = (node as Record<Segment, unknown>)[segment];
  }
  return node;
}

function writeAt(root: Record<string, unknown>, segments: readonly Segment[], value: unknown) {
  let node: Record<Segment, unknown> = root;
  segments.forEach((segment, position) => {
    if (position === segments.length - 1) {
      define(node, segment, value);
      return;
    }
    let child = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (typeof child !== "object" || child === null) {
      child = typeof segments[position + 1] === "number" ? [] : {};
      define(node, segment, child);
    }
    node = child as Record<Segment, unknown>;
  });
}

// The keys are JSON the model wrote: define them, never assign, so "__proto__" stays a plain key.
function define(node: Record<Segment, unknown>, key: Segment, value: unknown) {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}
