import type { MessageCreateParams, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { anthropicWire, loadRecordings } from "@toolbatch/contract";
import type { RenderedHistory } from "@toolbatch/core";

/** The recordings whose follow-up request carries a whole multi-call conversation. */
export const conversations = loadRecordings("anthropic").filter(
  (recording) => recording.followUpRequest !== undefined,
);

const base = conversations[0]?.request as MessageCreateParams | undefined;

/**
 * What the Anthropic schema finds wrong in a recorded request carrying this rendered history
 * (and its `system`) in place of its own, and what the API rejects though the schema lets it pass:
 * empty messages ("all messages must have non-empty content") and blank text ("text content
 * blocks must contain non-whitespace text").
 */
export function renderedProblems(rendered: RenderedHistory<MessageParam>): string[] {
  if (!base) throw new Error("no Anthropic recording with a request");
  const fields = rendered.system === undefined ? {} : { system: rendered.system };
  const empty = rendered.messages.flatMap((message, index) => {
    const texts =
      typeof message.content === "string"
        ? [message.content]
        : message.content.flatMap((block) => (block.type === "text" ? [block.text] : []));
    return [
      ...(message.content.length === 0 ? [`messages[${index}]: empty content`] : []),
      ...(texts.some((text) => text.trim() === "") ? [`messages[${index}]: blank text`] : []),
    ];
  });
  return [
    ...anthropicWire.validateRequest(anthropicWire.withHistory(base, rendered.messages, fields)),
    ...empty,
  ];
}
