import type { GenerateContentResponse } from "@google/genai";
import { geminiWire, type Recording } from "@toolbatch/contract";
import type { StreamAssembler, ToolCallBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { googleGenAI, googleGenerativeAI } from "../src/index.js";
import { recording, response } from "./support.js";

// The vendor's id of the response a turn came in (ToolCallBatch.responseId, issue 19's audit).
const adapters = [
  ["googleGenAI", () => googleGenAI()],
  ["googleGenerativeAI", () => googleGenerativeAI()],
] as const;

describe.each(adapters)("%s reads the responseId", (_name, make) => {
  it("from a recorded response (gm1) and a recorded stream (gm2)", () => {
    const whole = make().toBatch(geminiWire.response(recording("gm1")) as never) as ToolCallBatch;
    expect(whole.responseId).toBe("WwCzadOqH-mtz7IP8_Se8Ak");
    const assembler =
      make().createStreamAssembler() as unknown as StreamAssembler<GenerateContentResponse>;
    const chunks = geminiWire.parseStream(
      recording("gm2").stream as NonNullable<Recording["stream"]>,
    );
    for (const chunk of chunks) assembler.push(chunk);
    expect(assembler.finish().responseId).toBe("XQCzaYWvIqfRz7IPupTlyAk");
  });

  it("leaves it out of a response without one (the legacy SDK's, hand-made)", () => {
    const batch = make().toBatch(response([{ text: "hi" }]) as never) as ToolCallBatch;
    expect("responseId" in batch).toBe(false);
  });
});
