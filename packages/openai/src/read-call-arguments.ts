import { parseToolArguments } from "@toolbatch/core";

/** A call's input read from its arguments, and what to warn about, as `[code, message]`. */
export interface CallInput {
  readonly input: unknown;
  readonly warning?: readonly [code: string, message: string];
}

/**
 * Reads the arguments of a call in a history (a JSON string on both OpenAI APIs, an object from
 * Ollama). Arguments that are not JSON become `{}` with an `arguments-unparseable` warning: the
 * transcript holds values, and the model will see `{}` if the history moves on.
 */
export function readCallArguments(raw: unknown, id: string | undefined, name: string): CallInput {
  const parsed = parseToolArguments(raw);
  const call = `Call ${id ?? "(no id)"} (${name})`;
  if (!parsed.ok) {
    return {
      input: {},
      warning: [
        "arguments-unparseable",
        `${call} has arguments that are not JSON; its input is {}. ${parsed.error}`,
      ],
    };
  }
  return parsed.warning
    ? { input: parsed.value, warning: [parsed.warning.code, `${call}: ${parsed.warning.message}`] }
    : { input: parsed.value };
}
