/** The outcome of reading a call's arguments. */
export type ParsedArguments =
  | {
      readonly ok: true;
      /** The arguments as a value. */
      readonly value: unknown;
      /** Set when the arguments had to be repaired in a way worth reporting. */
      readonly warning?: { readonly code: string; readonly message: string };
    }
  | {
      readonly ok: false;
      /** Why the arguments could not be read, written for the model to fix. */
      readonly error: string;
    };

// A new object each time: the value becomes a call's input, which a tool may change, so one shared
// `{}` would carry one call's changes into every later call without arguments.
const empty = (): ParsedArguments => ({ ok: true, value: {} });
const QUOTE_LIMIT = 200;

/**
 * Reads a call's arguments as a vendor sent them. A string is parsed as JSON once; `""` (many
 * models send it for tools without parameters), `null` and `undefined` become `{}`; an object
 * (Ollama, Mistral, Gemini, Anthropic) is taken as it is. A JSON string that holds a JSON object
 * (arguments encoded twice) is unwrapped, with a warning.
 */
export function parseToolArguments(raw: unknown): ParsedArguments {
  if (raw === undefined || raw === null) return empty();
  if (typeof raw !== "string") return { ok: true, value: raw };
  if (raw.trim() === "") return empty();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const quoted = raw.length > QUOTE_LIMIT ? `${raw.slice(0, QUOTE_LIMIT)}…` : raw;
    return {
      ok: false,
      error: `The arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}). Received: ${quoted}. Send the arguments as one JSON object.`,
    };
  }
  if (typeof value === "string" && value.trimStart().startsWith("{")) {
    try {
      const inner: unknown = JSON.parse(value);
      if (typeof inner === "object" && inner !== null) {
        return {
          ok: true,
          value: inner,
          warning: {
            code: "arguments-double-encoded",
            message: "The arguments were a JSON string holding JSON; the inner object was used.",
          },
        };
      }
    } catch {
      // Not JSON inside: keep the string; the schema will say what is wrong with it.
    }
  }
  return { ok: true, value };
}
