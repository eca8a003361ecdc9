import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import {
  convertHistory,
  type RenderedHistory,
  type TranscriptCodec,
  type TranscriptReading,
} from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import { type AnthropicTranscriptOptions, anthropicTranscript } from "../src/index.js";

/** Another vendor's history entry, as a stand-in for any other codec. */
interface OtherMessage {
  readonly kind: "other";
  readonly text: string;
}
declare const other: TranscriptCodec<OtherMessage>;
declare const otherHistory: OtherMessage[];
declare const messages: MessageParam[];

describe("anthropicTranscript() types are the @anthropic-ai/sdk SDK's own", () => {
  const codec = anthropicTranscript();

  it("is a codec of the SDK's MessageParam, in and out", () => {
    expectTypeOf(codec).toEqualTypeOf<TranscriptCodec<MessageParam>>();
    expectTypeOf(codec.read).parameter(0).toEqualTypeOf<readonly MessageParam[]>();
    expectTypeOf(codec.read(messages)).toEqualTypeOf<TranscriptReading>();
    expectTypeOf(codec.render({ turns: [] })).toEqualTypeOf<RenderedHistory<MessageParam>>();
    expectTypeOf(codec.render({ turns: [] }).messages).toEqualTypeOf<MessageParam[]>();
    expectTypeOf(codec.render({ turns: [] }).system).toEqualTypeOf<string | undefined>();
  });

  it("takes only its options", () => {
    expectTypeOf(anthropicTranscript)
      .parameter(0)
      .toEqualTypeOf<AnthropicTranscriptOptions | undefined>();
    anthropicTranscript({ vendor: "deepseek" });
    // @ts-expect-error: the vendor is a name
    anthropicTranscript({ vendor: 1 });
  });

  it("lets convertHistory infer the SDK's types from either side", () => {
    expectTypeOf(convertHistory(otherHistory, other, codec)).toEqualTypeOf<
      RenderedHistory<MessageParam>
    >();
    expectTypeOf(convertHistory(messages, codec, other)).toEqualTypeOf<
      RenderedHistory<OtherMessage>
    >();
    // @ts-expect-error: an Anthropic codec does not read another vendor's history
    convertHistory(otherHistory, codec, other);
  });
});
