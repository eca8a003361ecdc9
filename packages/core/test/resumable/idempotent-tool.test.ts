import { describe, expect, it } from "vitest";
import { defineTool, InvalidToolDefinitionError, jsonSchema } from "../../src/index.js";

// Issue 16: a tool declares whether a call may run again after a crash left its outcome unknown.

const base = {
  name: "send_mail",
  description: "Sends a mail",
  input: jsonSchema({ type: "object" }),
  execute: () => "sent",
};

describe("defineTool({ idempotent })", () => {
  it("keeps idempotent: true, and leaves it out otherwise", () => {
    expect(defineTool({ ...base, idempotent: true }).idempotent).toBe(true);
    expect("idempotent" in defineTool({ ...base, idempotent: false })).toBe(false);
    expect("idempotent" in defineTool(base)).toBe(false);
  });

  it("refuses anything but a boolean", () => {
    for (const value of ["yes", 1, null, () => true]) {
      expect(() => defineTool({ ...base, idempotent: value as never })).toThrow(
        InvalidToolDefinitionError,
      );
    }
    expect(() => defineTool({ ...base, idempotent: "yes" as never })).toThrow(/idempotent/);
  });
});
