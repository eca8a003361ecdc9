/** One Chat Completions chunk of `choice`, framed as an SSE event. */
export function chatChunkFrame(choice: unknown): string {
  const chunk = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [choice],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * An OpenAI Chat Completions SSE body with `calls` parallel tool calls whose arguments are
 * `argumentBytes` long each, streamed in `fragmentBytes` fragments, as OpenAI frames them.
 */
export function chatStreamBody(calls: number, argumentBytes: number, fragmentBytes = 32): string {
  const frame = chatChunkFrame;
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

// Bytes arrive from a network in pieces; 16 KB is a typical read. (Handed one multi-megabyte
// chunk, the openai SDK's line decoder takes quadratic time: 3.4 s instead of 0.14 s for 3.8 MB.)
const NETWORK_CHUNK_BYTES = 16 * 1024;

/** A fetch that answers every request with this SSE body, in network-sized chunks, so SDKs parse real bytes. */
export function sseFetch(body: string | (() => ReadableStream<Uint8Array>)): typeof fetch {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : undefined;
  const chunked = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const all = bytes as Uint8Array;
        for (let at = 0; at < all.length; at += NETWORK_CHUNK_BYTES) {
          controller.enqueue(all.subarray(at, at + NETWORK_CHUNK_BYTES));
        }
        controller.close();
      },
    });
  return async () =>
    new Response(bytes ? chunked() : (body as () => ReadableStream<Uint8Array>)(), {
      status: 200,
      headers: { "content-type": "text/event-stream" },
    });
}
