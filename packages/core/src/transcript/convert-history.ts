import type { RenderedHistory, TranscriptCodec } from "./transcript.js";

/**
 * Moves a conversation from one vendor's history to another's: `from` reads it into a transcript,
 * `to` renders that. Pure and deterministic; the warnings of both steps are returned.
 *
 * @example
 * const { messages, system, warnings } = convertHistory(openaiMessages, openaiChatTranscript(), anthropicTranscript());
 * await anthropicClient.messages.create({ model, max_tokens, system, messages, tools });
 */
export function convertHistory<From, To>(
  history: readonly From[],
  from: TranscriptCodec<From>,
  to: TranscriptCodec<To>,
): RenderedHistory<To> {
  const reading = from.read(history);
  const rendered = to.render(reading.transcript);
  return { ...rendered, warnings: [...reading.warnings, ...rendered.warnings] };
}
