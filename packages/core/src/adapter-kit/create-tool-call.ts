import type { BatchWarning, ToolCall } from "../batch/tool-call.js";
import { addCallWarning } from "./add-call-warning.js";
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

/** Options of {@link createToolCall}. */
export interface CreateToolCallOptions {
  /**
   * True where the vendor's protocol makes call ids optional and their absence is the norm
   * (Gemini before 3 never sends one; the adapter's `capabilities.callIds` is `sometimes`): the
   * synthesized id is flagged `idSynthesized` on the call and nothing more, since there was no
   * quirk to paper over. Otherwise a missing id is a server's quirk, said in one `id-synthesized`
   * warning per batch. Default false.
   */
  readonly idsOptional?: boolean;
}

/**
 * Turns a vendor's call into a {@link ToolCall}: parses the arguments once (a failure is kept in
 * `inputError`, never thrown), synthesizes a portable id where the vendor sent none, and reports
 * each repair as a warning (a repair every call needed, once per batch). Every adapter's decoder,
 * streamed or not, goes through here.
 */
export function createToolCall(
  raw: RawToolCall,
  ids: CallIdGenerator,
  warnings: BatchWarning[],
  options: CreateToolCallOptions = {},
): ToolCall {
  const parsed = parseToolArguments(raw.arguments);
  const rawInput = typeof raw.arguments === "string" ? { rawInput: raw.arguments } : {};
  let id = raw.id ?? "";
  let idSynthesized = false;
  if (id === "") {
    id = ids.next();
    idSynthesized = true;
    if (!options.idsOptional) {
      addCallWarning(warnings, {
        code: "id-synthesized",
        message: `Call ${raw.index} (${raw.name}) came without an id; "${id}" was synthesized for it.`,
        callIndex: raw.index,
      });
    }
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
