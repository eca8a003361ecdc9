import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InvalidServerOptionError } from "./invalid-server-option-error.js";
import { type RecordedRequest, recordRequest } from "./recorded-request.js";
import type { ServerReply } from "./server-reply.js";
import {
  findVendorRoute,
  type VendorName,
  type VendorProfile,
  vendorProfiles,
} from "./vendor-routes.js";
import { writeJson, writeServerReply } from "./write-server-reply.js";

/**
 * Computes the reply to one request. `index` counts the requests that matched a route before this
 * one (0 for the first), so a function can play a whole conversation.
 */
export type ReplyFunction = (
  request: RecordedRequest,
  index: number,
) => ServerReply | Promise<ServerReply>;

/**
 * The server's script: a list consumed in order, one entry per request that matches a route (an
 * entry may be a function of the request), or one function that answers every request.
 */
export type ReplyScript = ReplyFunction | readonly (ServerReply | ReplyFunction)[];

/** Options of `startVendorServer`. */
export interface VendorServerOptions {
  /** The vendor whose HTTP API the server speaks; `"openai"` unless given. */
  vendor?: VendorName;
  /**
   * What to answer. When a list runs out, further requests get a 500 whose message says the
   * script ran out of replies, so a test that makes one request too many fails visibly.
   */
  replies: ReplyScript;
}

/** A running loopback server speaking one vendor's HTTP API from a script. */
export interface VendorServer extends AsyncDisposable {
  /** The vendor the server imitates. */
  readonly vendor: VendorName;
  /** The base URL to give the vendor's SDK, e.g. `http://127.0.0.1:PORT/v1` for OpenAI. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, for requests built by hand. */
  readonly origin: string;
  /**
   * Every request received, in arrival order (a request is recorded once its body has arrived),
   * including ones answered 404 or 500. The array is live: it grows as requests come in.
   */
  readonly requests: readonly RecordedRequest[];
  /** Stops the server and drops open connections, streams included. Safe to call twice. */
  close(): Promise<void>;
  /** Calls `close`, so `await using server = await startVendorServer(...)` cleans up. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 at a free port that speaks a vendor's HTTP API (for OpenAI:
 * `POST /v1/chat/completions` and `POST /v1/responses`) and answers from `options.replies`, so the
 * vendor's real SDK can be tested, and demonstrated, with no network.
 */
export async function startVendorServer(options: VendorServerOptions): Promise<VendorServer> {
  const { profile, replies } = checkOptions(options);
  const requests: RecordedRequest[] = [];
  // Aborted on close, to cut short the pauses of streams still being written.
  const closing = new AbortController();
  let scriptedCount = 0;

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const route = findVendorRoute(profile, method, url.pathname);
    const record = await recordRequest(request, url, route?.name ?? null);
    requests.push(record);
    if (route === undefined) {
      const known = profile.routes.map((entry) => `${entry.method} ${String(entry.path)}`);
      const message = `[toolbatch/contract] No route for ${method} ${url.pathname}; the ${profile.vendor} loopback server answers ${known.join(", ")}.`;
      writeJson(response, 404, profile.errorBody(404, message));
      return;
    }
    const index = scriptedCount++;
    const reply = await pickReply(replies, record, index);
    if (typeof reply === "string") {
      // The server's own failures must not be retried: a retry would take the next reply.
      writeJson(response, 500, profile.errorBody(500, reply), { "x-should-retry": "false" });
      return;
    }
    const stop = new AbortController();
    const abort = () => stop.abort();
    closing.signal.addEventListener("abort", abort, { once: true });
    response.once("close", abort);
    try {
      await writeServerReply(response, reply, { profile, route, signal: stop.signal });
    } finally {
      closing.signal.removeEventListener("abort", abort);
    }
  };

  const server = createServer((request, response) => {
    // A client that hangs up mid-stream makes writes fail; the stream just stops.
    response.on("error", () => {});
    answer(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      const message = `[toolbatch/contract] The loopback server failed to answer: ${reason}`;
      writeJson(response, 500, profile.errorBody(500, message), { "x-should-retry": "false" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve, reject) => {
      closing.abort();
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets of the SDK's fetch would otherwise hold `close` open.
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    vendor: profile.vendor,
    url: `${origin}${profile.basePath}`,
    origin,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The reply for request `index`, or the message of a 500 when the script has none. */
async function pickReply(
  replies: ReplyScript,
  request: RecordedRequest,
  index: number,
): Promise<ServerReply | string> {
  let entry: ServerReply | ReplyFunction | undefined;
  if (typeof replies === "function") entry = replies;
  else entry = replies[index];
  if (entry === undefined) {
    const count = typeof replies === "function" ? 0 : replies.length;
    return `[toolbatch/contract] The reply script ran out of replies: request ${index + 1} (${request.method} ${request.path}) came after all ${count} scripted replies were used.`;
  }
  if (typeof entry !== "function") return entry;
  let reply: unknown;
  try {
    reply = await entry(request, index);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `[toolbatch/contract] The reply function for request ${index + 1} threw: ${reason}`;
  }
  if (!isServerReply(reply)) {
    return `[toolbatch/contract] The reply function for request ${index + 1} returned ${describe(reply)}, not a reply from jsonReply, sseReply, sseTextReply or errorReply.`;
  }
  return reply;
}

const REPLY_KINDS = new Set<unknown>(["json", "error", "sse-events", "sse-text"]);

function isServerReply(value: unknown): value is ServerReply {
  return (
    typeof value === "object" &&
    value !== null &&
    REPLY_KINDS.has((value as { kind?: unknown }).kind)
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? "an array" : typeof value;
}

function checkOptions(options: VendorServerOptions): {
  profile: VendorProfile;
  replies: ReplyScript;
} {
  if (typeof options !== "object" || options === null) {
    throw new InvalidServerOptionError("options", options, "an object with a replies script");
  }
  const vendor = options.vendor ?? "openai";
  const profile = Object.hasOwn(vendorProfiles, vendor) ? vendorProfiles[vendor] : undefined;
  if (profile === undefined) {
    const known = Object.keys(vendorProfiles).map((name) => `"${name}"`);
    throw new InvalidServerOptionError("vendor", vendor, `one of ${known.join(", ")}`);
  }
  const { replies } = options;
  if (typeof replies === "function") return { profile, replies };
  if (!Array.isArray(replies)) {
    throw new InvalidServerOptionError(
      "replies",
      replies,
      "an array of replies or a reply function",
    );
  }
  for (const [index, entry] of replies.entries()) {
    if (typeof entry !== "function" && !isServerReply(entry)) {
      throw new InvalidServerOptionError(
        `replies[${index}]`,
        entry,
        "a reply from jsonReply, sseReply, sseTextReply or errorReply, or a function returning one",
      );
    }
  }
  // Copied, so editing the caller's array later does not change a running script.
  return { profile, replies: [...replies] };
}
