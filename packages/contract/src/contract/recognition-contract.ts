import type { ProviderAdapter } from "@toolbatch/core";
import { expect, it } from "vitest";
import { loadRecordings, type Recording } from "../recordings/load-recordings.js";
import { anthropicWire } from "../wires/anthropic-wire.js";
import { geminiWire } from "../wires/gemini-wire.js";
import { openaiChatWire } from "../wires/openai-chat-wire.js";
import { openaiResponsesWire } from "../wires/openai-responses-wire.js";
import type { WireProfile } from "../wires/wire-profile.js";

type Recognizer = Pick<
  ProviderAdapter<unknown, unknown, unknown, unknown>,
  "isResponse" | "isStreamEvent" | "responseTypes"
>;
type AnyWire = WireProfile<unknown, unknown, unknown, unknown>;

/** The wires whose recordings the kit ships, to read other vendors' streams with. */
const KNOWN_WIRES = [
  openaiChatWire,
  openaiResponsesWire,
  anthropicWire,
  geminiWire,
] as unknown as readonly AnyWire[];

/** Values that are no vendor's response: what a wrong `send` returns most often. */
const NOT_RESPONSES: readonly unknown[] = [42, "text", null, undefined, true, [], {}];

/**
 * Registers the checks of an adapter's recognisers, which `runToolLoop` uses to check what `send`
 * returned: `isResponse` and `isStreamEvent` accept every recording of the adapter's wire (each
 * response, each event of each recorded stream and of each response streamed), and refuse every
 * recording of the other wires, the SDKs' wrappers around the adapter's own responses
 * (`.withResponse()`'s `{ data, response, request_id }`, the legacy Google SDK's `{ response }`),
 * and values that are no response at all.
 */
export function itRecognizesItsAnswers<Response, StreamEvent>(
  make: () => Recognizer,
  wire: WireProfile<Response, StreamEvent, unknown, unknown>,
  recordings: readonly Recording[],
  streaming: boolean,
): void {
  it("names the vendor SDK's response and stream event types", () => {
    const { responseTypes } = make();
    expect(typeof responseTypes.response).toBe("string");
    expect(typeof responseTypes.streamEvent).toBe("string");
  });

  it("recognises every response and stream event of its recordings", () => {
    const adapter = make();
    for (const recording of recordings) {
      if (recording.kind === "json") {
        const response = wire.response(recording);
        expect(adapter.isResponse(response), `${recording.key} is a response`).toBe(true);
        const streamed = streaming ? wire.streamOf(response) : [];
        for (const event of streamed) {
          expect(adapter.isStreamEvent(event), `${recording.key} streamed: ${show(event)}`).toBe(
            true,
          );
        }
      } else {
        for (const event of wire.parseStream(
          recording.stream as NonNullable<Recording["stream"]>,
        )) {
          expect(adapter.isStreamEvent(event), `${recording.key}: ${show(event)}`).toBe(true);
        }
      }
    }
  });

  it("refuses other vendors' responses and events, SDK wrappers, and what is no response", () => {
    const adapter = make();
    const refused = (value: unknown, what: string) => {
      expect(adapter.isResponse(value), `isResponse(${what})`).toBe(false);
      expect(adapter.isStreamEvent(value), `isStreamEvent(${what})`).toBe(false);
    };
    for (const recording of loadRecordings()) {
      if (recording.vendor === wire.vendor) continue;
      if (recording.kind === "json") {
        refused(recording.response, `${recording.key}'s response`);
        continue;
      }
      const foreign = KNOWN_WIRES.find((known) => known.vendor === recording.vendor);
      const stream = recording.stream as NonNullable<Recording["stream"]>;
      for (const event of foreign?.parseStream(stream) ?? []) {
        refused(event, `${recording.key}'s event ${show(event)}`);
      }
    }
    for (const recording of recordings) {
      if (recording.kind !== "json") continue;
      const response = wire.response(recording);
      refused({ data: response, response: {}, request_id: "req_1" }, ".withResponse()'s wrapper");
      refused({ response }, "{ response }");
    }
    for (const value of NOT_RESPONSES) refused(value, show(value));
  });
}

function show(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 80);
}
