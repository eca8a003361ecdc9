import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { isJsonObject } from "../values/is-json-object.js";
import { joinText } from "./create-transcript-builder.js";
import type { RenderedHistory, TranscriptCodec, TranscriptWarning } from "./transcript.js";

/** Options of {@link convertHistory}. */
export interface ConvertHistoryOptions {
  /**
   * The system instructions of the conversation where the source vendor keeps them outside its
   * history (Anthropic's `system` request field, Gemini's `systemInstruction`), which `from.read`
   * cannot see. They come first, before any system text the history holds itself. Where the
   * target keeps them outside its history too, they come back as `RenderedHistory.system`.
   */
  readonly system?: string;
}

/**
 * Moves a conversation from one vendor's history to another's: `from` reads it into a transcript,
 * `to` renders that. Pure and deterministic; the warnings of both steps are returned.
 *
 * System instructions go where the target keeps them: `system` of the result for Anthropic and
 * Gemini (send it as the request's `system` / `systemInstruction`), the history's first message
 * for OpenAI. Those of a source that keeps them outside its history are passed in `options`:
 * without them they would be lost, as the history does not hold them. A warning says when the
 * system text does not come back where it was given: `system-in-history` when the target carries
 * it in the history (so the caller does not send it twice), `system-dropped` when the target has
 * no system instructions at all (`TranscriptCodec.systemPlacement` `none`).
 *
 * @example
 * const { messages, system, warnings } = convertHistory(openaiMessages, openaiChatTranscript(), anthropicTranscript());
 * await anthropicClient.messages.create({ model, max_tokens, system, messages });
 * // From Anthropic, give the request's system prompt too:
 * const back = convertHistory(claudeMessages, anthropicTranscript(), googleGenAITranscript(), { system });
 * @throws {InvalidOptionError} when `options` is not an object (the system text passed as it, say)
 *   or `options.system` is not a string.
 * @throws {InvalidHistoryError} from `from.read`, when the history is malformed.
 */
export function convertHistory<From, To>(
  history: readonly From[],
  from: TranscriptCodec<From>,
  to: TranscriptCodec<To>,
  options: ConvertHistoryOptions = {},
): RenderedHistory<To> {
  if (!isJsonObject(options)) {
    // A JavaScript caller's `convertHistory(history, from, to, system)` must not lose the system text.
    throw new InvalidOptionError("options", options, "an object such as { system }");
  }
  const given = options.system;
  if (given !== undefined && typeof given !== "string") {
    throw new InvalidOptionError("system", given, "a string (the source request's system text)");
  }
  const reading = from.read(history);
  const found = reading.transcript.system;
  // The same text given and found (the caller passed what the history already holds) counts once.
  const system = given && given !== found ? joinText([given, found ?? ""]) : found;
  const transcript =
    system === found ? reading.transcript : { ...reading.transcript, system: system as string };
  const rendered = to.render(transcript);
  const warnings: TranscriptWarning[] = [...reading.warnings, ...rendered.warnings];
  const placement = to.systemPlacement ?? "history";
  if (system && placement === "none") {
    warnings.push({
      code: "system-dropped",
      message: `${to.vendor} has no system instructions, so the system text is not sent; put what it says in the first user message if it matters.`,
    });
  } else if (given && placement === "history") {
    warnings.push({
      code: "system-in-history",
      message: `${to.vendor} carries system instructions in the history: the system text given is its first message, and no separate system is returned; do not send it again.`,
    });
  }
  return { ...rendered, warnings };
}
