import type { IncomingMessage } from "node:http";
import type { RouteName } from "./vendor-routes.js";

/** A request the loopback server received, kept so a test can assert what an SDK really sent. */
export interface RecordedRequest {
  /** The route it matched, or `null` when it matched none (and was answered 404). */
  readonly route: RouteName | null;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The URL path without the query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** The query parameters (Gemini streams with `?alt=sse`); a repeated key keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The request headers, names in lower case; a repeated header's values are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON, or the raw text when it is not JSON (an empty body is `""`). */
  readonly body: unknown;
  /** When the request arrived, in milliseconds since the epoch (`Date.now()`). */
  readonly time: number;
}

/**
 * Reads a request's body to the end and turns the request into a record.
 * @param url the request's URL, already parsed by the server to find its route
 */
export async function recordRequest(
  request: IncomingMessage,
  url: URL,
  route: RouteName | null,
): Promise<RecordedRequest> {
  const time = Date.now();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return {
    route,
    method: request.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: parseBody(text),
    time,
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (or empty): the raw text is what the test needs to see.
    return text;
  }
}
