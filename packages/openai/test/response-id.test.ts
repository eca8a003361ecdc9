import {
  loadRecordings,
  openaiChatWire,
  openaiResponsesWire,
  type Recording,
} from "@toolbatch/contract";
import type { StreamAssembler } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { openaiChat, openaiResponses } from "../src/index.js";
import { chunk, completion } from "./support.js";

// The vendor's id of the response a turn came in (ToolCallBatch.responseId, issue 19's audit).
const recording = (key: string) => loadRecordings().find((r) => r.key === key) as Recording;
const stream = (key: string) => recording(key).stream as NonNullable<Recording["stream"]>;
const assemble = <Event>(assembler: StreamAssembler<Event>, events: readonly Event[]) => {
  for (const event of events) assembler.push(event);
  return assembler.finish();
};

describe("openaiChat reads the completion's id", () => {
  it("from a recorded completion (oc1) and a recorded stream's chunks (oc2)", () => {
    expect(openaiChat().toBatch(openaiChatWire.response(recording("oc1"))).responseId).toBe(
      "chatcmpl-DuLdwG9dovOoGcPewSoHPH2zgGXdJ",
    );
    const batch = assemble(
      openaiChat().createStreamAssembler(),
      openaiChatWire.parseStream(stream("oc2")),
    );
    expect(batch.responseId).toBe("chatcmpl-DuLdMEdkw5VsZSxKY3i9G934hT7LM");
  });

  it("leaves it out where a compatible server sends none or an empty one", () => {
    const anonymous = { ...completion([], { content: "hi", finish_reason: "stop" }), id: "" };
    expect("responseId" in openaiChat().toBatch(anonymous)).toBe(false);
    const { id: _id, ...bare } = chunk(undefined, "stop", { content: "hi" });
    const batch = assemble(openaiChat().createStreamAssembler(), [bare as never]);
    expect("responseId" in batch).toBe(false);
  });
});

describe("openaiResponses reads the response's id", () => {
  it("from a recorded response (or1) and a recorded stream (or2), as the turn keeps it", () => {
    const whole = openaiResponses().toBatch(openaiResponsesWire.response(recording("or1")));
    expect(whole.responseId).toBe("resp_0adb81d1c2f6e68a016a3c1227ce4881a1b92723de5486dbfe");
    expect(whole.responseId).toBe(whole.turn.responseId);
    const streamed = assemble(
      openaiResponses().createStreamAssembler(),
      openaiResponsesWire.parseStream(stream("or2")),
    );
    expect(streamed.responseId).toBe("resp_0a7836d50cf181dd016a3c122cf3b881a1947fb8d49897cfca");
  });

  it("leaves it out of a stream that never sent the response", () => {
    expect("responseId" in openaiResponses().createStreamAssembler().finish()).toBe(false);
  });
});
