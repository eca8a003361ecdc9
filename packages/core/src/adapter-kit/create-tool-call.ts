import type { BatchWarning, ToolCall } from "../batch/tool-call.js";
import type { CallIdGenerator } from "./call-id.js";
import { parseToolArguments } from "./parse-tool-arguments.js";

/** A call as a vendor decoder sees it, before ids and arguments are normalized. */
export interface RawToolCall {
  /** The vendor's id; empty or missing when the vendor sent none. */
  readonly id?: string | null | undefined;
  /** The tool name as sent. */
  readonly name: string;
  /** The arguments as sent: a JSON string, an object, or nothing. */
  readonly arguments: unknown;
  /** The position in the batch. */
  readonly index: number;
}

/**
 * Turns a vendor's call into a {@link ToolCall}: parses the arguments once (a failure is kept in
 * `inputError`, never thrown), synthesizes a portable id where the vendor sent none, and reports
 * each repair as a warning. Every adapter's decoder, streamed or not, goes through here.
 */
export function createToolCall(
  raw: RawToolCall,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
): ToolCall {
  const parsed = parseToolArguments(raw.arguments);
  const rawInput = typeof raw.arguments === "string" ? { rawInput: raw.arguments } : {};
  let id = raw.id ?? "";
  let idSynthesized = false;
  if (id === "") {
    id = ids.next();
    idSynthesized = true;
    warnings.push({
      code: "id-synthesized",
      message: `Call ${raw.index} (${raw.name}) came without an id; "${id}" was synthesized and is never sent back.`,
      callIndex: raw.index,
    });
  } else {
    ids.reserve(id);
  }
  if (parsed.ok && parsed.warning) warnings.push({ ...parsed.warning, callIndex: raw.index });
  return {
    id,
    ...(idSynthesized ? { idSynthesized } : {}),
    name: raw.name,
    input: parsed.ok ? parsed.value : {},
    ...rawInput,
    ...(parsed.ok ? {} : { inputError: parsed.error }),
    index: raw.index,
  };
}
