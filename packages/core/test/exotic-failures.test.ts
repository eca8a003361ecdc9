import { describe, expect, it } from "vitest";
import {
  defineTool,
  describeValue,
  executeBatch,
  jsonSchema,
  type StandardSchemaResult,
  type Tool,
  type ToolResult,
} from "../src/index.js";
import { describeThrown } from "../src/values/describe-thrown.js";
import {
  batchOf,
  deferred,
  exoticValues,
  expectNoUnhandledRejections,
  flush,
  settledState,
} from "./support.js";

// Issue 15 item 1: describing a failure must never fail. Every call gets its result, whatever
// the value thrown, rejected with, returned or reported does when it is read. No time limit is
// set: a description that throws used to leave the call unanswered, so the batch never settled.

const names = Object.keys(exoticValues());
const exotic = (name: string): unknown => exoticValues()[name];
const code = (result: ToolResult | undefined) =>
  result === undefined ? "missing" : result.ok ? "ok" : result.error.code;

expectNoUnhandledRejections();

/** Runs one call of `tool` and returns its result once queued work has run (no timers). */
async function runOne(tool: Tool<never, unknown>, input: unknown = {}): Promise<ToolResult> {
  const outcome = await settledState(executeBatch(batchOf([{ name: tool.name, input }]), [tool]));
  if (outcome.state !== "fulfilled") throw new Error(`the batch is ${outcome.state}`);
  const [result] = outcome.value;
  if (!result) throw new Error("no result");
  expect(typeof (result.ok ? "" : result.error.message)).toBe("string");
  return result;
}

const withInput = <T>(validate: (value: unknown) => unknown) =>
  jsonSchema<T>(
    { type: "object" },
    { validate: validate as (value: unknown) => StandardSchemaResult<T> },
  );

describe.each(names)("%s", (name) => {
  it("is described by a string, and by describeValue too", () => {
    const text = describeThrown(exotic(name));
    expect(typeof text).toBe("string");
    expect(text.length).toBeGreaterThan(0);
    expect(typeof describeValue(exotic(name))).toBe("string");
  });

  it("thrown by a tool, synchronously or not, is that call's execution_failed", async () => {
    const value = exotic(name);
    const sync = defineTool({
      name: "sync",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => {
        throw value;
      },
    });
    const later = defineTool({
      name: "later",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: async () => {
        await flush(1);
        throw value;
      },
    });
    expect(code(await runOne(sync))).toBe("execution_failed");
    expect(code(await runOne(later))).toBe("execution_failed");
  });

  it("thrown or rejected by a validator, or thrown by a lock function, fails that call", async () => {
    const value = exotic(name);
    const tools = [
      withInput(() => {
        throw value;
      }),
      withInput(() => Promise.reject(value)),
    ].map((input, n) =>
      defineTool({ name: `validator_${n}`, description: "", input, execute: () => "ran" }),
    );
    const locked = defineTool({
      name: "locked",
      description: "",
      input: jsonSchema({ type: "object" }),
      lock: () => {
        throw value;
      },
      execute: () => "ran",
    });
    for (const tool of [...tools, locked]) {
      expect(code(await runOne(tool))).toBe("execution_failed");
    }
  });

  it("returned by a tool is an output or invalid_output, never a lost call", async () => {
    const value = exotic(name);
    const tool = defineTool({
      name: "returns",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => value,
    });
    // A Proxy refusing to say whether it is a thenable makes even `await` throw.
    expect(["ok", "invalid_output", "execution_failed"]).toContain(code(await runOne(tool)));
  });

  it("as an issue's message or path is described in an invalid_input text", async () => {
    const value = exotic(name);
    const issues = [
      { message: value, path: ["field"] },
      { message: "bad", path: [value, { key: value }] },
      value,
    ];
    const tool = defineTool({
      name: "issues",
      description: "",
      input: withInput(() => ({ issues })),
      execute: () => "ran",
    });
    const result = await runOne(tool);
    expect(code(result)).toBe("invalid_input");
    expect(result.ok ? "" : result.error.message).toMatch(/^The arguments for tool "issues"/);
  });

  it("as the batch's abort reason answers every call", async () => {
    const controller = new AbortController();
    const started = deferred();
    const tool = defineTool({
      name: "wait",
      description: "",
      input: jsonSchema({ type: "object" }),
      execute: () => {
        started.resolve();
        return new Promise(() => {});
      },
    });
    const pending = executeBatch(batchOf([{ name: "wait" }, { name: "wait" }]), [tool], {
      concurrency: 1,
      signal: controller.signal,
    });
    await started.promise;
    controller.abort(exotic(name));
    const outcome = await settledState(pending);
    expect(outcome.state).toBe("fulfilled");
    if (outcome.state === "fulfilled") {
      expect(outcome.value.map(code)).toStrictEqual(["aborted", "not_executed"]);
    }
  });
});

describe("describeThrown", () => {
  it("keeps what it said before for ordinary values", () => {
    expect(describeThrown(new TypeError("bad city"))).toBe("bad city");
    expect(describeThrown(new RangeError(""))).toBe("RangeError");
    expect(describeThrown("plain")).toBe("plain");
    expect(describeThrown("")).toBe("(an empty string was thrown)");
    expect(describeThrown(undefined)).toBe("(undefined was thrown, no message)");
    expect(describeThrown({ code: 7 })).toBe('{"code":7}');
    expect(describeThrown(10n)).toBe("10");
  });

  it("says so when nothing can be read", () => {
    expect(describeThrown(exotic("a revoked Proxy"))).toBe("(an error that cannot be described)");
    expect(describeThrown(exotic("an Error whose message getter throws"))).toBe(
      "(an error that cannot be described)",
    );
  });
});
