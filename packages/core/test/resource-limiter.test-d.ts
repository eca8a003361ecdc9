import { describe, expectTypeOf, it } from "vitest";
import {
  type AcquireOptions,
  createResourceLimiter,
  defineTool,
  type ExecuteBatchOptions,
  type ExecutionEvent,
  jsonSchema,
  type ResourceClaim,
  type ResourceLimiter,
  type ResourceRelease,
  type ResourceWaitReason,
} from "../src/index.js";

describe("resource limiter types", () => {
  it("a distributed limiter implements the interface with async acquisition and release", () => {
    const fromDatabase: ResourceLimiter = {
      acquire: async (claim: ResourceClaim, options?: AcquireOptions): Promise<ResourceRelease> => {
        options?.onWait?.({ resource: claim.resources[0] ?? "", reason: "rate" });
        return async () => {};
      },
    };
    expectTypeOf(fromDatabase).toExtend<ExecuteBatchOptions["limiter"]>();
    expectTypeOf(
      createResourceLimiter({ api: { concurrency: 2 } }),
    ).toEqualTypeOf<ResourceLimiter>();
  });

  it("every option takes undefined as absent", () => {
    createResourceLimiter(
      { api: { concurrency: undefined, rate: undefined } },
      { now: undefined, setTimer: undefined },
    );
    const options: ExecuteBatchOptions = { limiter: undefined };
    expectTypeOf(options.limiter).toEqualTypeOf<ResourceLimiter | undefined>();
    defineTool({
      name: "t",
      description: "",
      input: jsonSchema<{ repo: string }>({ type: "object" }),
      resources: undefined,
      execute: () => 1,
    });
  });

  it("resources is a function of the typed input, in lock's shape", () => {
    defineTool({
      name: "t",
      description: "",
      input: jsonSchema<{ repo: string }>({ type: "object" }),
      resources: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ repo: string }>();
        return ["github", input.repo];
      },
      execute: () => 1,
    });
  });

  it("events narrow to call-wait and batch-start, and carry the batch id", () => {
    const onEvent = (event: ExecutionEvent) => {
      expectTypeOf(event.batchId).toEqualTypeOf<string | undefined>();
      if (event.type === "call-wait") {
        expectTypeOf(event.resource).toEqualTypeOf<string>();
        expectTypeOf(event.reason).toEqualTypeOf<ResourceWaitReason>();
      }
      if (event.type === "call-start") expectTypeOf(event.description).toEqualTypeOf<string>();
      if (event.type === "batch-start") expectTypeOf(event.time).toEqualTypeOf<number>();
    };
    expectTypeOf(onEvent).toExtend<NonNullable<ExecuteBatchOptions["onEvent"]>>();
  });
});
