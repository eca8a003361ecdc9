import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  defineTool,
  executeBatch,
  jsonSchema,
  type StandardSchemaResult,
  startBatchExecution,
  type ToolResult,
} from "../src/index.js";
import {
  batchOf,
  exoticValues,
  expectNoUnhandledRejections,
  flush,
  settledState,
} from "./support.js";

// Issue 15 item 2: a validator that misbehaves is that call's failure. A broken validator is not
// the model's bad input, so the call ends `execution_failed` (not `invalid_input`), with a text
// that says the validator failed and the tool did not run; the rest of the batch runs as usual.

const code = (result: ToolResult | undefined) =>
  result === undefined ? "missing" : result.ok ? "ok" : result.error.code;
const message = (result: ToolResult | undefined) =>
  result && !result.ok ? result.error.message : "";

expectNoUnhandledRejections();

const echo = defineTool({
  name: "echo",
  description: "",
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** A batch of one call to a tool validated by `validate`, between two calls that must run. */
async function run(validate: (value: unknown) => unknown) {
  const ran: unknown[] = [];
  const tool = defineTool({
    name: "checked",
    description: "",
    input: jsonSchema(
      { type: "object" },
      { validate: validate as (value: unknown) => StandardSchemaResult<unknown> },
    ),
    execute: (input) => {
      ran.push(input);
      return "ran";
    },
  });
  const batch = batchOf([
    { name: "echo", input: { text: "before" } },
    { name: "checked", input: { n: 1 } },
    { name: "echo", input: { text: "after" } },
  ]);
  const outcome = await settledState(executeBatch(batch, [echo, tool]));
  if (outcome.state !== "fulfilled") {
    throw new Error(
      `the batch is ${outcome.state}: ${String(outcome.state === "rejected" && outcome.reason)}`,
    );
  }
  const [before, result, after] = outcome.value;
  expect([code(before), code(after)]).toStrictEqual(["ok", "ok"]);
  return { result, ran };
}

const malformed: Array<[string, unknown, RegExp]> = [
  ["undefined", undefined, /returned undefined, not \{ value \} or \{ issues \}/],
  ["null", null, /returned null, not/],
  ["a number", 42, /returned 42, not/],
  ["a string", "fine", /returned "fine", not/],
  ["an empty object", {}, /returned an object with neither value nor issues/],
  ["a safeParse result", { success: true, data: { n: 1 } }, /neither value nor issues/],
  ["issues that are a string", { issues: "bad" }, /returned issues that are not a list \("bad"\)/],
  ["issues that are an object", { issues: { message: "bad" } }, /issues that are not a list/],
  ["issues that are null", { issues: null }, /issues that are not a list \(null\)/],
];

describe.each(malformed)("a validator returning %s", (_name, returned, text) => {
  it("fails that call with execution_failed, synchronously", async () => {
    const { result, ran } = await run(() => returned);
    expect(code(result)).toBe("execution_failed");
    expect(message(result)).toMatch(/^Tool "checked" failed before it ran: its input validator /);
    expect(message(result)).toMatch(text);
    expect(ran).toStrictEqual([]);
  });

  it("and asynchronously", async () => {
    const { result, ran } = await run(async () => returned);
    expect(code(result)).toBe("execution_failed");
    expect(message(result)).toMatch(text);
    expect(ran).toStrictEqual([]);
  });
});

describe("a validator that throws or rejects", () => {
  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "no"],
    ...Object.entries(exoticValues()),
  ])("with %s fails that call, sync or async", async (_name, thrown) => {
    for (const validate of [
      () => {
        throw thrown;
      },
      () => Promise.reject(thrown),
      async () => {
        await flush(1);
        throw thrown;
      },
    ]) {
      const { result, ran } = await run(validate);
      expect(code(result)).toBe("execution_failed");
      expect(message(result)).toMatch(
        /^Tool "checked" failed before it ran: its input validator threw: /,
      );
      expect(ran).toStrictEqual([]);
    }
  });

  it("whose result cannot be read fails that call", async () => {
    const unreadable = new Proxy(
      {},
      {
        get() {
          throw new Error("no reading");
        },
        has() {
          throw new Error("no asking");
        },
      },
    );
    for (const validate of [() => unreadable, async () => ({ issues: unreadable })]) {
      const { result } = await run(validate);
      expect(code(result)).toBe("execution_failed");
      expect(message(result)).toMatch(/its input validator/);
    }
  });
});

describe("a validator returning a thenable that is not a Promise", () => {
  it("is awaited: the tool runs with the value it resolves to", async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test.
      then(resolve: (value: unknown) => void) {
        resolve({ value: { n: 2 } });
      },
    };
    const { result, ran } = await run(() => thenable);
    expect(code(result)).toBe("ok");
    expect(ran).toStrictEqual([{ n: 2 }]);
  });

  it("that rejects, or whose then throws, fails that call", async () => {
    const rejecting = {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test.
      then(_resolve: unknown, reject: (reason: unknown) => void) {
        reject(new Error("later, no"));
      },
    };
    const throwing = {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test.
      get then() {
        throw new Error("no then");
      },
    };
    for (const returned of [rejecting, throwing]) {
      const { result } = await run(() => returned);
      expect(code(result)).toBe("execution_failed");
      expect(message(result)).toMatch(/its input validator threw: (later, )?no/);
    }
  });
});

describe("issues", () => {
  it("a list of issues is still the model's invalid_input", async () => {
    const { result } = await run(() => ({ issues: [{ message: "n is too small", path: ["n"] }] }));
    expect(code(result)).toBe("invalid_input");
    expect(message(result)).toContain("- n: n is too small");
  });
});

it("a streamed batch answers a broken validator's call and runs the others", async () => {
  const tool = defineTool({
    name: "checked",
    description: "",
    input: jsonSchema({ type: "object" }, { validate: async () => undefined as never }),
    execute: () => "ran",
  });
  const batch = batchOf([{ name: "checked" }, { name: "echo", input: { text: "x" } }]);
  const execution = startBatchExecution([tool, echo]);
  for (const call of batch.calls) execution.add(call);
  const outcome = await settledState(execution.finish(batch));
  expect(outcome.state === "fulfilled" && outcome.value.map(code)).toStrictEqual([
    "execution_failed",
    "ok",
  ]);
});
