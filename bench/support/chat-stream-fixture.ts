/**
 * An OpenAI Chat Completions SSE body with `calls` parallel tool calls whose arguments are
 * `argumentBytes` long each, streamed in `fragmentBytes` fragments, as OpenAI frames them.
 */
export function chatStreamBody(calls: number, argumentBytes: number, fragmentBytes = 32): string {
  const head = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
  };
  const frame = (choice: unknown) => `data: ${JSON.stringify({ ...head, choices: [choice] })}\n\n`;
  const parts: string[] = [
    frame({ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }),
  ];
  for (let index = 0; index < calls; index++) {
    const args = argumentsOf(index, argumentBytes);
    parts.push(
      frame({
        index: 0,
        delta: {
          tool_calls: [
            {
              index,
              id: `call_${index}`,
              type: "function",
              function: { name: `tool_${index % 8}`, arguments: "" },
            },
          ],
        },
        finish_reason: null,
      }),
    );
    for (let at = 0; at < args.length; at += fragmentBytes) {
      parts.push(
        frame({
          index: 0,
          delta: {
            tool_calls: [{ index, function: { arguments: args.slice(at, at + fragmentBytes) } }],
          },
          finish_reason: null,
        }),
      );
    }
  }
  parts.push(frame({ index: 0, delta: {}, finish_reason: "tool_calls" }), "data: [DONE]\n\n");
  return parts.join("");
}

/** A JSON object of about `bytes` bytes. */
export function argumentsOf(index: number, bytes: number): string {
  const filler = "x".repeat(Math.max(0, bytes - 40));
  return JSON.stringify({ call: index, text: filler });
}

/** A fetch that answers every request with this SSE body, so SDKs parse real bytes. */
export function sseFetch(body: string | (() => ReadableStream<Uint8Array>)): typeof fetch {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : undefined;
  return async () =>
    new Response(bytes ?? (body as () => ReadableStream<Uint8Array>)(), {
      status: 200,
      headers: { "content-type": "text/event-stream" },
    });
}
