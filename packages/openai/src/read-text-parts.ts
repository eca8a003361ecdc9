import { joinText } from "@toolbatch/core";

/** The text a message's content holds, and the parts that were not text. */
export interface TextContent {
  /** The text: a string content as it is, text parts joined with a blank line. */
  readonly text: string;
  /** The `type` of every part that holds no text (`image_url`, `input_file`, ...), in order. */
  readonly dropped: readonly string[];
}

interface LoosePart {
  readonly type?: unknown;
  readonly text?: unknown;
  readonly refusal?: unknown;
}

/**
 * Reads the text of a content value as both OpenAI APIs send it: a string, or a list of parts.
 * Parts of a type in `textTypes` give their `text`, `refusal` parts their refusal (a refusal is
 * what the assistant said); every other part (images, audio, files) is listed in `dropped`, since
 * only text crosses vendors. `null` and `undefined` are no text.
 */
export function readTextParts(content: unknown, textTypes: ReadonlySet<string>): TextContent {
  if (typeof content === "string") return { text: content, dropped: [] };
  if (!Array.isArray(content)) return { text: "", dropped: [] };
  const pieces: string[] = [];
  const dropped: string[] = [];
  for (const part of content as readonly LoosePart[]) {
    const type = typeof part?.type === "string" ? part.type : "(untyped)";
    if (textTypes.has(type) && typeof part.text === "string") pieces.push(part.text);
    else if (type === "refusal" && typeof part.refusal === "string") pieces.push(part.refusal);
    else dropped.push(type);
  }
  return { text: joinText(pieces), dropped };
}

/** The `content-dropped` warning's message for the parts `readTextParts` could not carry. */
export function describeDroppedParts(where: string, dropped: readonly string[]): string {
  const types = [...new Set(dropped)].join(", ");
  return `${where} held ${dropped.length} part(s) that are not text (${types}); only text crosses vendors, so they are dropped.`;
}
