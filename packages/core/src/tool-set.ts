import type { AnyTool } from "./define-tool.js";
import { DuplicateToolError } from "./errors/duplicate-tool-error.js";

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

/**
 * Indexes a list of tools by name.
 * @throws {DuplicateToolError} when two tools share a name.
 */
export function createToolSet(tools: readonly AnyTool[] | ToolSet): ToolSet {
  if (!Array.isArray(tools)) return tools as ToolSet;
  // A Map, not an object: a model may send any string as a name, `__proto__` included.
  const byName = new Map<string, AnyTool>();
  for (const tool of tools as readonly AnyTool[]) {
    if (byName.has(tool.name)) throw new DuplicateToolError(tool.name);
    byName.set(tool.name, tool);
  }
  return {
    tools,
    names: [...byName.keys()],
    get: (name) => byName.get(name),
  };
}
