import type { Recording } from "../recordings/load-recordings.js";
import type { WireProfile } from "./wire-profile.js";

/**
 * What a recorded follow-up request added: its history after the first request's history. Every
 * wire reads its recordings this way; a wire adds only what its vendor needs on top.
 */
export function followUpHistory<Request, Message>(
  wire: Pick<WireProfile<unknown, unknown, Request, Message>, "history">,
  recording: Recording,
): Message[] | undefined {
  const first = recording.request as Request | undefined;
  const next = recording.followUpRequest as Request | undefined;
  return first && next ? wire.history(next).slice(wire.history(first).length) : undefined;
}
