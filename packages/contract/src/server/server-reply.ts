import { InvalidServerOptionError } from "./invalid-server-option-error.js";
import { frameSseEvent, type SseEventInit, splitSseFrames } from "./sse-frame.js";

/** Status and headers shared by every reply. */
export interface ReplyInit {
  /** The HTTP status; 200 unless given. */
  status?: number;
  /**
   * Extra response headers, e.g. `x-request-id`; names are lower-cased, and they win over the
   * server's defaults (so a test can send a wrong `content-type` on purpose).
   */
  headers?: Record<string, string>;
}

/**
 * How an event stream is paced, so a test can see an SDK handle partial reads and, later, act on
 * an event before the stream ends. Pacing changes when bytes arrive, never which bytes.
 */
export interface StreamPacing {
  /**
   * Write the body in slices of this many bytes, yielding to the event loop between slices so the
   * client reads them as separate chunks (a slice may cut a frame, a line or a UTF-8 character).
   */
  chunkBytes?: number;
  /** Pause this many milliseconds before every event. */
  gapMs?: number;
  /** Pause `gaps[i]` milliseconds before event `i`; events past the end of the list get none. */
  gaps?: readonly number[];
}

/** Options of `sseReply`. */
export interface SseReplyInit extends ReplyInit, StreamPacing {
  /**
   * Whether to end the stream with `data: [DONE]`. Left out, the route decides: OpenAI Chat
   * Completions ends with it, the Responses API does not. `false` leaves it off anywhere.
   */
  done?: boolean;
}

/** Options of `sseTextReply`. Gaps fall before each frame of the text (blank-line terminated). */
export interface SseTextReplyInit extends ReplyInit, StreamPacing {}

/** A JSON body, sent with `content-type: application/json`. */
export interface JsonReply {
  /** Marks the reply kind. */
  readonly kind: "json";
  /** The HTTP status. */
  readonly status: number;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, sent as its JSON text. */
  readonly body: unknown;
}

/** An error response: a JSON body with a 4xx or 5xx status, which the SDK turns into its error. */
export interface ErrorReply {
  /** Marks the reply kind. */
  readonly kind: "error";
  /** The HTTP status, 400 to 599. */
  readonly status: number;
  /** Extra response headers, e.g. `x-should-retry` or `retry-after`, which the SDK reads. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body. A string is a message, wrapped in the vendor's own error shape (for OpenAI
   * `{ error: { message, type, param, code } }`); anything else is sent as it is.
   */
  readonly body: unknown;
}

/** An event stream built from events, sent with `content-type: text/event-stream`. */
export interface SseEventsReply {
  /** Marks the reply kind. */
  readonly kind: "sse-events";
  /** The HTTP status. */
  readonly status: number;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The events, framed one by one when the reply is sent. */
  readonly events: readonly SseEventInit[];
  /** Whether to end with `data: [DONE]`; `undefined` lets the route decide. */
  readonly done: boolean | undefined;
  /** How the stream is paced. */
  readonly pacing: StreamPacing;
}

/** An event stream sent byte for byte, such as a recorded vendor response body. */
export interface SseTextReply {
  /** Marks the reply kind. */
  readonly kind: "sse-text";
  /** The HTTP status. */
  readonly status: number;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body's bytes, unchanged (no `[DONE]` is added: a recording carries its own). */
  readonly bytes: Uint8Array;
  /** How the stream is paced. */
  readonly pacing: StreamPacing;
}

/** What the loopback server answers one request with. */
export type ServerReply = JsonReply | ErrorReply | SseEventsReply | SseTextReply;

/** A JSON reply: `body` with status 200 unless `init.status` says otherwise. */
export function jsonReply(body: unknown, init: ReplyInit = {}): JsonReply {
  return { kind: "json", body, ...checkInit(init, 100) };
}

/**
 * An error reply. `body` is either a message, which the server wraps in the vendor's error shape,
 * or a whole body sent as it is (to replay a recorded error, or to test an odd one). Mind that the
 * OpenAI SDK retries 408, 409, 429 and 5xx answers (taking the next reply) unless the client has
 * `maxRetries: 0` or the reply carries the header `x-should-retry: false`.
 */
export function errorReply(
  status: number,
  body: string | object,
  init: Omit<ReplyInit, "status"> = {},
): ErrorReply {
  return { kind: "error", body, ...checkInit({ ...init, status }, 400) };
}

/**
 * An event stream of `events`. On OpenAI Chat Completions a final `data: [DONE]` is added unless
 * `init.done` is `false`.
 */
export function sseReply(events: readonly SseEventInit[], init: SseReplyInit = {}): SseEventsReply {
  if (!Array.isArray(events)) {
    throw new InvalidServerOptionError("events", events, "an array of { event?, data }");
  }
  // Framing now surfaces a bad event where the script is written, not at request time.
  for (const event of events) frameSseEvent(event);
  if (init.done !== undefined && typeof init.done !== "boolean") {
    throw new InvalidServerOptionError("done", init.done, "a boolean");
  }
  return {
    kind: "sse-events",
    events: [...events],
    done: init.done,
    pacing: checkPacing(init, events.length),
    ...checkInit(init, 100),
  };
}

/**
 * An event stream sent byte for byte: `text` is a whole SSE body, e.g. a recorded response read
 * with `readFileSync` (a `Buffer` is taken as it is, a string is sent as UTF-8).
 */
export function sseTextReply(text: string | Uint8Array, init: SseTextReplyInit = {}): SseTextReply {
  let bytes: Uint8Array;
  if (typeof text === "string") bytes = new TextEncoder().encode(text);
  else if (text instanceof Uint8Array) bytes = Uint8Array.from(text);
  else throw new InvalidServerOptionError("text", text, "a string or a Uint8Array");
  return {
    kind: "sse-text",
    bytes,
    pacing: checkPacing(init, splitSseFrames(bytes).length),
    ...checkInit(init, 100),
  };
}

function checkInit(
  init: ReplyInit,
  minStatus: number,
): { status: number; headers: Record<string, string> } {
  const status = init.status ?? 200;
  if (!Number.isInteger(status) || status < minStatus || status > 599) {
    throw new InvalidServerOptionError("status", status, `an integer from ${minStatus} to 599`);
  }
  const headers = init.headers ?? {};
  if (
    typeof headers !== "object" ||
    headers === null ||
    Object.values(headers).some((value) => typeof value !== "string")
  ) {
    throw new InvalidServerOptionError("headers", headers, "an object of string values");
  }
  // Lower-cased, so `Content-Type` replaces the default rather than being sent beside it.
  const lowerCased = Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]);
  return { status, headers: Object.fromEntries(lowerCased) };
}

function checkPacing(pacing: StreamPacing, eventCount: number): StreamPacing {
  const { chunkBytes, gapMs, gaps } = pacing;
  if (chunkBytes !== undefined && !(Number.isInteger(chunkBytes) && chunkBytes > 0)) {
    throw new InvalidServerOptionError("chunkBytes", chunkBytes, "a positive integer");
  }
  if (gapMs !== undefined && !isDelay(gapMs)) {
    throw new InvalidServerOptionError(
      "gapMs",
      gapMs,
      "a finite number of milliseconds, 0 or more",
    );
  }
  if (gaps !== undefined) {
    if (gapMs !== undefined) {
      throw new InvalidServerOptionError("gaps", gaps, "left out when gapMs is given");
    }
    if (!Array.isArray(gaps) || !gaps.every(isDelay)) {
      throw new InvalidServerOptionError("gaps", gaps, "an array of finite numbers, 0 or more");
    }
    if (gaps.length > eventCount) {
      // More gaps than events is a script that no longer matches its events.
      throw new InvalidServerOptionError(
        "gaps",
        gaps,
        `at most ${eventCount} entries, one per event`,
      );
    }
  }
  return {
    ...(chunkBytes === undefined ? {} : { chunkBytes }),
    ...(gapMs === undefined ? {} : { gapMs }),
    ...(gaps === undefined ? {} : { gaps: [...gaps] }),
  };
}

function isDelay(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
