import type { RelayedResult } from "../batch/relayed-result.js";
import type { ToolFailure, ToolResult, ToolSuccess } from "../batch/tool-result.js";
import type { AnyTool, Tool } from "./define-tool.js";

/**
 * The tools of a tool list, as a union: `typeof tools[number]` for a list, `AnyTool` for a
 * `ToolSet` (its tools are not known to the compiler).
 */
export type ToolOf<Tools> = Tools extends readonly (infer Each)[] ? Each : AnyTool;

/**
 * The names of a tool list's tools, as a string-literal union: `"lookup" | "search"` for
 * `[lookup, search]` defined with literal names; `string` for an untyped list or a `ToolSet`.
 *
 * @example
 * const tools = [lookup, search];
 * type Name = ToolName<typeof tools>; // "lookup" | "search"
 */
export type ToolName<Tools> = NameOf<ToolOf<Tools>>;

/** The name of each tool of a union. */
export type NameOf<T> = T extends Tool<never, unknown, infer Name> ? Name : never;

/**
 * What a call of `T` answers with when it succeeds: its output, unless `execute` relays a whole
 * result (`relayResult`), whose output the compiler cannot know.
 */
export type SuccessOf<T> =
  T extends Tool<never, infer Output, infer Name>
    ? ToolSuccess<Name, [Extract<Output, RelayedResult>] extends [never] ? Output : unknown>
    : never;

/**
 * The results of running a tool list's calls: a union discriminated by `ok`, then `name`, where
 * a success's `output` is its tool's output type. A failure's `name` is `string`: a model may call
 * a tool that is not in the list, and its `unknown_tool` result carries the name it sent.
 *
 * For an untyped list (`AnyTool[]`) or a `ToolSet` it is `ToolResult` (`output: unknown`).
 *
 * @example
 * for (const result of await executeBatch(batch, [lookup, search])) {
 *   if (result.ok && result.name === "lookup") result.output; // LookupOutput
 * }
 */
export type ToolResultOf<Tools> =
  AnyTool extends ToolOf<Tools> ? ToolResult : SuccessOf<ToolOf<Tools>> | ToolFailure;
