// Run by exotic-failures-process.test.ts in a child Node process with the default
// --unhandled-rejections=throw: any unhandled rejection ends the process with exit code 1 before
// it prints. It prints one JSON line: how many calls there were and how many got a result.
import { defineTool, executeBatch, jsonSchema, type ToolCallBatch } from "../../src/index.js";
import { exoticValues } from "../support.js";

const values = Object.values(exoticValues());
const input = jsonSchema<{ i: number }>({ type: "object" });
const value = (i: number) => values[i % values.length];
const tools = [
  defineTool({
    name: "throws",
    description: "",
    input,
    execute: ({ i }) => {
      throw value(i);
    },
  }),
  defineTool({
    name: "rejects",
    description: "",
    input,
    execute: async ({ i }) => {
      await new Promise((resolve) => setImmediate(resolve));
      throw value(i);
    },
  }),
  defineTool({
    name: "returns",
    description: "",
    input,
    execute: ({ i }) => value(i),
  }),
  defineTool({
    name: "locks",
    description: "",
    input,
    lock: ({ i }) => {
      throw value(i);
    },
    execute: () => "ran",
  }),
  defineTool({
    name: "validates",
    description: "",
    input: jsonSchema<{ i: number }>(
      { type: "object" },
      {
        validate: (raw) => {
          const i = (raw as { i: number }).i;
          if (i % 3 === 0) throw value(i);
          if (i % 3 === 1) return Promise.reject(value(i));
          return { issues: [{ message: value(i) as string, path: [value(i) as string] }] };
        },
      },
    ),
    execute: () => "ran",
  }),
];
const names = tools.map((tool) => tool.name);
const batch: ToolCallBatch = {
  provider: "test",
  complete: true,
  turn: null,
  calls: names.flatMap((name, n) =>
    values.map((_, v) => {
      const index = n * values.length + v;
      return { id: `call_${index}`, name, input: { i: v }, index };
    }),
  ),
};

let answered = 0;
for (const options of [{}, { timeoutMs: 60_000 }, { concurrency: 2, timeoutMs: 60_000 }]) {
  const results = await executeBatch(batch, tools, options);
  answered += results.filter((result) => typeof result.callId === "string").length;
}
process.stdout.write(`${JSON.stringify({ calls: batch.calls.length * 3, answered })}\n`);
