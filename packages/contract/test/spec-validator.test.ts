import { describe, expect, it } from "vitest";
import { loadRecordings } from "../src/recordings/load-recordings.js";
import { loadSpecValidator, type SpecName } from "../src/schemas/spec-validator.js";

const REQUEST_SCHEMA: Record<string, [SpecName, string]> = {
  "openai-chat": ["openai", "CreateChatCompletionRequest"],
  "openai-responses": ["openai", "CreateResponse"],
  anthropic: ["anthropic", "CreateMessageParams"],
  gemini: ["gemini", "GenerateContentRequest"],
};

describe("loadSpecValidator", () => {
  it.each(
    loadRecordings()
      .filter((r) => r.request)
      .map((r) => [r.key, r] as const),
  )("accepts the requests the vendor accepted in recording %s", (_key, recording) => {
    const [spec, schema] = REQUEST_SCHEMA[recording.vendor] as [SpecName, string];
    const validator = loadSpecValidator(spec);
    expect(validator.validate(schema, recording.request)).toStrictEqual([]);
    if (recording.followUpRequest)
      expect(validator.validate(schema, recording.followUpRequest)).toStrictEqual([]);
  });

  it("rejects what the vendors reject", () => {
    expect(
      loadSpecValidator("openai").validate("CreateChatCompletionRequest", { model: "x" }),
    ).not.toStrictEqual([]);
    const anthropic = loadSpecValidator("anthropic");
    const message = {
      model: "claude",
      max_tokens: 10,
      messages: [{ role: "user", content: [{ type: "tool_result" }] }],
    };
    expect(anthropic.validate("CreateMessageParams", message)).not.toStrictEqual([]);
    expect(
      loadSpecValidator("gemini").validate("GenerateContentRequest", { contents: "nope" }),
    ).not.toStrictEqual([]);
  });

  it("says clearly when a schema name does not exist", () => {
    expect(() => loadSpecValidator("openai").validate("NoSuchSchema", {})).toThrow(
      /has no schema "NoSuchSchema"/,
    );
  });
});
