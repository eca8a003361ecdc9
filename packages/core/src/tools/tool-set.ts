import { DuplicateToolError } from "../errors/duplicate-tool-error.js";
import type { AnyTool } from "./define-tool.js";

/** Tools indexed by name, with names checked for uniqueness. */
export interface ToolSet {
  /** The tools in the order given. */
  readonly tools: readonly AnyTool[];
  /** The registered names, in the order given. */
  readonly names: readonly string[];
  /**
   * The tool registered under exactly this name, if any. Only own, registered names match:
   * `__proto__`, `constructor` and `toString` are unknown unless a tool has that name.
   */
  get(name: string): AnyTool | undefined;
}

// Tool lists are usually one array reused every turn: index it once. The snapshot catches an
// array changed in place since (tools themselves are frozen, so their names cannot change).
const indexed = new WeakMap<readonly AnyTool[], { snapshot: AnyTool[]; set: ToolSet }>();

/**
 * Indexes a list of tools by name. Passing the same array again reuses the index.
 * @throws {DuplicateToolError} when two tools share a name.
 */
export function createToolSet(tools: readonly AnyTool[] | ToolSet): ToolSet {
  if (!Array.isArray(tools)) return tools as ToolSet;
  const list = tools as readonly AnyTool[];
  const cached = indexed.get(list);
  if (cached && sameTools(cached.snapshot, list)) return cached.set;
  // A Map, not an object: a model may send any string as a name, `__proto__` included.
  const byName = new Map<string, AnyTool>();
  for (const tool of list) {
    if (byName.has(tool.name)) throw new DuplicateToolError(tool.name);
    byName.set(tool.name, tool);
  }
  const set: ToolSet = {
    tools: list,
    names: [...byName.keys()],
    get: (name) => byName.get(name),
  };
  indexed.set(list, { snapshot: [...list], set });
  return set;
}

function sameTools(snapshot: readonly AnyTool[], list: readonly AnyTool[]): boolean {
  return snapshot.length === list.length && list.every((tool, index) => tool === snapshot[index]);
}
