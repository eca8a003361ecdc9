/** One event read from an SSE body. */
export interface SseEvent {
  /** The `event:` field, when the frame had one (OpenAI Responses and Anthropic name every event). */
  event?: string;
  /** The `data:` lines of the frame, joined with `\n`; an empty string when the frame had none. */
  data: string;
}

/**
 * Reads the events of a whole SSE body, such as a recorded vendor response, following the field
 * rules of https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation:
 * lines end in `\n`, `\r\n` or `\r`; a line starting with `:` is a comment; one space after the
 * colon is dropped; several `data:` lines join with `\n`; `id:`, `retry:` and unknown fields are
 * ignored. Unlike a browser, it keeps a final frame that lacks its closing blank line, because a
 * recording cut at the last byte still holds that event, and it keeps frames with an `event:` but
 * no `data:`, so nothing in a recording goes unseen.
 */
export function parseSseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  let event: string | undefined;
  let dataLines: string[] = [];
  let hasField = false;

  const dispatch = () => {
    if (hasField) {
      const data = dataLines.join("\n");
      events.push(event === undefined ? { data } : { event, data });
    }
    event = undefined;
    dataLines = [];
    hasField = false;
  };

  // A byte order mark may open the stream; the spec says to skip it.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === "") {
      dispatch();
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      dataLines.push(value);
      hasField = true;
    } else if (field === "event") {
      event = value;
      hasField = true;
    }
  }
  dispatch();
  return events;
}
