import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServerReply, SseEventsReply, SseTextReply, StreamPacing } from "./server-reply.js";
import { DONE_FRAME, frameSseEvent, splitSseFrames } from "./sse-frame.js";
import type { VendorProfile, VendorRoute } from "./vendor-routes.js";

/** Where a reply goes: the vendor whose error shape it uses and the route whose stream rules apply. */
export interface ReplyContext {
  /** The vendor the server imitates. */
  readonly profile: VendorProfile;
  /** The route the request matched. */
  readonly route: VendorRoute;
  /** Aborted when the server closes or the client goes away; stops pauses and writes. */
  readonly signal: AbortSignal;
}

/** Sends `reply` on `response`, pacing event streams as the reply asks, and ends the response. */
export async function writeServerReply(
  response: ServerResponse,
  reply: ServerReply,
  context: ReplyContext,
): Promise<void> {
  switch (reply.kind) {
    case "json":
      writeJson(response, reply.status, reply.body, reply.headers);
      return;
    case "error": {
      const body =
        typeof reply.body === "string"
          ? context.profile.errorBody(reply.status, reply.body)
          : reply.body;
      writeJson(response, reply.status, body, reply.headers);
      return;
    }
    case "sse-events": {
      const encoder = new TextEncoder();
      const frames = reply.events.map((event, index) => ({
        bytes: encoder.encode(frameSseEvent(event)),
        delayMs: delayBefore(reply.pacing, index),
      }));
      if (reply.done ?? context.route.doneFrame) {
        // The [DONE] frame closes the stream at once: it is not one of the scripted events.
        frames.push({ bytes: encoder.encode(DONE_FRAME), delayMs: 0 });
      }
      await writeStream(response, reply, frames, context.signal);
      return;
    }
    case "sse-text": {
      const frames = splitSseFrames(reply.bytes).map((bytes, index) => ({
        bytes,
        delayMs: delayBefore(reply.pacing, index),
      }));
      await writeStream(response, reply, frames, context.signal);
      return;
    }
  }
}

/** Sends a JSON body with its length, in one write. */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body) ?? "", "utf8");
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(bytes.length),
    ...headers,
  });
  response.end(bytes);
}

function delayBefore(pacing: StreamPacing, index: number): number {
  return pacing.gapMs ?? pacing.gaps?.[index] ?? 0;
}

/** One SSE frame to send, and how long to wait before sending it. */
interface PacedFrame {
  readonly bytes: Uint8Array;
  readonly delayMs: number;
}

async function writeStream(
  response: ServerResponse,
  { status, headers, pacing }: SseEventsReply | SseTextReply,
  frames: readonly PacedFrame[],
  signal: AbortSignal,
): Promise<void> {
  response.writeHead(status, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...headers,
  });
  // Sent now, so the SDK's request resolves and it starts reading before the first pause ends.
  response.flushHeaders();
  let written = false;
  for (const { bytes, delayMs } of frames) {
    if (delayMs > 0) {
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        // Aborted: the server is closing or the client left; nobody reads the rest.
        return;
      }
    }
    const step = pacing.chunkBytes ?? bytes.length;
    for (let offset = 0; offset < bytes.length; offset += step) {
      // Without a turn of the event loop between writes, the socket would coalesce the slices
      // and the client would never see a partial chunk.
      if (written && pacing.chunkBytes !== undefined) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (signal.aborted || response.destroyed) return;
      if (!response.write(bytes.subarray(offset, offset + step))) await drained(response);
      written = true;
    }
  }
  if (!response.destroyed) response.end();
}

/** Waits until the socket takes more data, or until it is gone (then no `drain` ever comes). */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}
