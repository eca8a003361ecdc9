import type { MessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { anthropicWire, loadRecordings, type Recording } from "@toolbatch/contract";
import { describe, expect, it } from "vitest";
import { anthropic } from "../src/index.js";

// The vendor's id of the response a turn came in (ToolCallBatch.responseId, issue 19's audit).
const recording = (key: string) => loadRecordings().find((r) => r.key === key) as Recording;

describe("anthropic reads the message id", () => {
  it("from a recorded message (an1) and a recorded stream's message_start (an2)", () => {
    expect(anthropic().toBatch(anthropicWire.response(recording("an1"))).responseId).toBe(
      "msg_01SKkVkB84yWcweNDwx31xBd",
    );
    const assembler = anthropic().createStreamAssembler();
    const events: MessageStreamEvent[] = anthropicWire.parseStream(
      recording("an2").stream as NonNullable<Recording["stream"]>,
    );
    for (const event of events) assembler.push(event);
    expect(assembler.finish().responseId).toBe("msg_01PSvJdjd5keNSD63VHjYzex");
  });

  it("leaves it out of a stream that never sent message_start", () => {
    expect("responseId" in anthropic().createStreamAssembler().finish()).toBe(false);
  });
});
