import { InvalidServerOptionError } from "./invalid-server-option-error.js";

/** One server-sent event to send, before framing. */
export interface SseEventInit {
  /** The event's name, written as an `event:` line; OpenAI Responses names every event this way. */
  readonly event?: string;
  /**
   * The event's payload. A string is sent as it is; anything else is sent as its JSON text, which
   * is what every vendor puts in `data:`.
   */
  readonly data: unknown;
}

/** The frame OpenAI Chat Completions ends a stream with; the SDK stops reading at it. */
export const DONE_FRAME = "data: [DONE]\n\n";

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Frames one event the way the SSE spec reads it back: an optional `event:` line, one `data:`
 * line per line of the payload, and a blank line. A payload with line breaks becomes several
 * `data:` lines, which a reader joins with `\n` (so `\r\n` in a payload comes back as `\n`: SSE
 * cannot carry a carriage return). https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export function frameSseEvent(event: SseEventInit): string {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  if (typeof data !== "string") {
    throw new InvalidServerOptionError("data", event.data, "a string or a JSON-serialisable value");
  }
  let frame = "";
  if (event.event !== undefined) {
    if (typeof event.event !== "string" || LINE_BREAK.test(event.event)) {
      throw new InvalidServerOptionError("event", event.event, "a string without line breaks");
    }
    frame += `event: ${event.event}\n`;
  }
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts an SSE body into its frames, each ending after the blank line that closes it, byte for byte
 * (the pieces concatenate back to the input). Used to pause between the frames of a recorded body.
 * Blank lines with no field before them stay with the frame that follows; bytes after the last
 * blank line form a final piece of their own.
 */
export function splitSseFrames(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let frameStart = 0;
  let lineStart = 0;
  let frameHasContent = false;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte !== LF && byte !== CR) {
      index += 1;
      continue;
    }
    // A line ends at LF, CR, or CRLF; CRLF is one terminator, not a line and a blank line.
    const lineEnd = index;
    index += byte === CR && bytes[index + 1] === LF ? 2 : 1;
    if (lineEnd > lineStart) {
      frameHasContent = true;
    } else if (frameHasContent) {
      frames.push(bytes.subarray(frameStart, index));
      frameStart = index;
      frameHasContent = false;
    }
    lineStart = index;
  }
  if (frameStart < bytes.length) frames.push(bytes.subarray(frameStart));
  return frames;
}
