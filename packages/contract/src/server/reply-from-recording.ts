import type { Recording } from "../recordings/load-recordings.js";
import {
  jsonReply,
  type ServerReply,
  type StreamPacing,
  sseReply,
  sseTextReply,
} from "./server-reply.js";

/**
 * Replays a recording's response: the JSON body, or the streamed body byte for byte. JSON-lines
 * recordings (SSE framing stripped at the source) are framed again, one event per line, named by
 * each event's `type`; lines that are not JSON are dropped, as no SDK would yield them.
 */
export function replyFromRecording(recording: Recording, pacing: StreamPacing = {}): ServerReply {
  if (recording.kind === "json") return jsonReply(recording.response);
  const stream = recording.stream as NonNullable<Recording["stream"]>;
  if (stream.format === "sse") return sseTextReply(stream.text, pacing);
  const events = stream.text.split("\n").flatMap((line) => {
    try {
      const data = JSON.parse(line) as { type?: unknown };
      return [{ ...(typeof data.type === "string" ? { event: data.type } : {}), data }];
    } catch {
      return [];
    }
  });
  return sseReply(events, { ...pacing, done: false });
}
