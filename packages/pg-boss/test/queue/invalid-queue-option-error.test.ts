import { InvalidOptionError } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { InvalidQueueOptionError } from "../../src/queue/invalid-queue-option-error.js";

// The queue's option error is core's InvalidOptionError under its own name: one describer of the
// bad value (total: a hostile value never turns the error into another throw), one isInstance.

describe("InvalidQueueOptionError", () => {
  it("is core's InvalidOptionError, named for the queue, with the option and value", () => {
    const error = new InvalidQueueOptionError("schema", "Bad Name", "a lower-case identifier");
    expect(InvalidQueueOptionError.isInstance(error)).toBe(true);
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      name: "InvalidQueueOptionError",
      option: "schema",
      value: "Bad Name",
    });
    expect(error.message).toBe(
      '[toolbatch/pg-boss] Option "schema" must be a lower-case identifier; got "Bad Name".',
    );
    expect(InvalidQueueOptionError.isInstance(new InvalidOptionError("x", 1, "y"))).toBe(false);
  });

  it("describes a hostile value (a Proxy whose traps throw, a BigInt) without throwing", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    for (const value of [hostile, 10n, Symbol("s")]) {
      const error = new InvalidQueueOptionError("retryLimit", value, "a non-negative integer");
      expect(error.message).toMatch(/^\[toolbatch\/pg-boss\] Option "retryLimit" must be/);
    }
  });
});
