import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type AccessAudit,
  type AccessRecord,
  type AuditOptions,
  type ContentKind,
  createAccessAudit,
  defineTool,
  type ExecuteBatchOptions,
  type ExecutionEvent,
  type RedactHook,
  type StepAccessRecord,
  type ToolCall,
  type ToolCallBatch,
  type ToolLoopOptions,
  type ToolLoopStep,
} from "../src/index.js";

describe("access audit types", () => {
  it("accesses is a list, or a function of the tool's own input", () => {
    defineTool({
      name: "lookup",
      description: "",
      input: z.object({ customer: z.string() }),
      accesses: ({ customer }) => {
        expectTypeOf(customer).toEqualTypeOf<string>();
        return ["pii:address"];
      },
      execute: () => 1,
    });
    defineTool({
      name: "list",
      description: "",
      input: z.object({}),
      accesses: ["orders"] as const,
      execute: () => 1,
    });
    defineTool({
      name: "none",
      description: "",
      input: z.object({}),
      accesses: undefined,
      execute: () => 1,
    });
    defineTool({
      name: "bad",
      description: "",
      input: z.object({ customer: z.string() }),
      // @ts-expect-error categories are strings
      accesses: ({ customer }) => [customer.length],
      execute: () => 1,
    });
  });

  it("the options take undefined as absent, and one redact function has the otel hook's shape", () => {
    const options: ExecuteBatchOptions = { audit: undefined };
    const audit: AuditOptions = { sensitive: undefined, redact: undefined };
    const loop: Pick<ToolLoopOptions<unknown, unknown, unknown, unknown, unknown>, "audit"> = {
      audit: createAccessAudit({ sensitive: [["pii:address", "orders"]] }),
    };
    expectTypeOf(options.audit).toEqualTypeOf<AccessAudit | undefined>();
    expectTypeOf(createAccessAudit(audit)).toEqualTypeOf<AccessAudit>();
    expectTypeOf(loop.audit).toEqualTypeOf<AccessAudit | undefined>();
    // @ts-expect-error the plain options are no audit: createAccessAudit makes one
    const plain: ExecuteBatchOptions = { audit: { sensitive: [] } };
    expectTypeOf(plain).toMatchTypeOf<ExecuteBatchOptions>();
    expectTypeOf<RedactHook>().toEqualTypeOf<
      (kind: ContentKind, value: unknown, call: ToolCall) => unknown
    >();
  });

  it("batch-end carries the record, a loop step the step's record, a batch the response id", () => {
    const access = (event: ExecutionEvent) =>
      event.type === "batch-end" ? event.access : undefined;
    expectTypeOf(access).returns.toEqualTypeOf<AccessRecord | undefined>();
    expectTypeOf<ToolLoopStep["access"]>().toEqualTypeOf<StepAccessRecord | undefined>();
    expectTypeOf<StepAccessRecord["followUp"]>().toEqualTypeOf<
      { readonly step: number; readonly results: number } | undefined
    >();
    expectTypeOf<ToolCallBatch["responseId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AccessRecord["schemaVersion"]>().toEqualTypeOf<1>();
  });
});
