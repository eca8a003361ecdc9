import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessRecord,
  type AuditOptions,
  createAccessAudit,
  defineTool,
  type ExecuteBatchOptions,
  executeBatch,
  jsonSchema,
  type ToolResult,
} from "../src/index.js";
import { batchOf, codeOf } from "./support.js";

/**
 * Random tools with random declared accesses, random call outcomes, aborts and redaction hooks:
 * the record lists exactly the calls that ran (as `call-start` saw them) with their categories,
 * `sensitive` exactly the combinations covered by calls that ran and returned, it reads back
 * from JSON equal, and nothing of the audit changes a result or throws out of the executor.
 */
const CATEGORIES = ["pii:address", "pii:name", "orders", "location"] as const;
type Accesses =
  | { kind: "none" }
  | { kind: "list" | "by-input"; list: string[] }
  | { kind: "throws" };
type Outcome = "ok" | "throw" | "invalid" | "unknown";
type Redact = "none" | "keep" | "drop" | "throws" | "bigint";

const categories = fc.subarray([...CATEGORIES]);
const accesses: fc.Arbitrary<Accesses> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constantFrom("list" as const, "by-input" as const), list: categories }),
  fc.constant({ kind: "throws" as const }),
);
const scenario = fc.record({
  tools: fc.array(accesses, { minLength: 1, maxLength: 4 }),
  calls: fc.array(
    fc.record({
      tool: fc.nat(3),
      outcome: fc.constantFrom<Outcome>("ok", "ok", "throw", "invalid", "unknown"),
      extra: categories,
    }),
    { maxLength: 8 },
  ),
  sensitive: fc.array(fc.subarray([...CATEGORIES], { minLength: 1 }), { maxLength: 3 }),
  redact: fc.constantFrom<Redact>("none", "keep", "drop", "throws", "bigint"),
  abortAt: fc.option(fc.nat(7), { nil: undefined }),
  concurrency: fc.constantFrom(1, 2, Infinity),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

type Input = { fail: boolean; extra: string[] };
const input = jsonSchema<Input>(
  { type: "object", required: ["fail"] },
  {
    validate: (value) =>
      (value as { invalid?: boolean }).invalid
        ? { issues: [{ message: "invalid" }] }
        : { value: value as Input },
  },
);

function toolsOf(plan: Scenario) {
  return plan.tools.map((declared, index) =>
    defineTool({
      name: `tool_${index}`,
      description: "",
      input,
      accesses:
        declared.kind === "none"
          ? undefined
          : declared.kind === "list"
            ? declared.list
            : declared.kind === "by-input"
              ? ({ extra }) => [...declared.list, ...extra]
              : () => {
                  throw new Error("no categories");
                },
      execute: ({ fail }) => {
        if (fail) throw new Error("failed");
        return { index };
      },
    }),
  );
}

const redactOf = (redact: Redact): AuditOptions["redact"] =>
  redact === "none"
    ? undefined
    : (kind, value) => {
        if (redact === "throws") throw new Error(`no ${kind}`);
        if (redact === "bigint") return 1n;
        return redact === "keep" ? value : undefined;
      };

async function run(plan: Scenario, audit: AuditOptions | undefined) {
  const batch = batchOf(
    plan.calls.map((call, index) => ({
      id: `c${index}`,
      name: call.outcome === "unknown" ? "missing" : `tool_${call.tool % plan.tools.length}`,
      input: {
        fail: call.outcome === "throw",
        extra: call.extra,
        invalid: call.outcome === "invalid",
      },
    })),
    { responseId: "resp_1" },
  );
  const controller = new AbortController();
  const started = new Set<string>();
  let record: AccessRecord | undefined;
  const options: ExecuteBatchOptions = {
    signal: controller.signal,
    concurrency: plan.concurrency,
    ...(audit ? { audit: createAccessAudit(audit) } : {}),
    onEvent: (event) => {
      if (event.type === "call-start") {
        started.add(event.call.id);
        if (event.call.index === plan.abortAt) controller.abort();
      }
      if (event.type === "batch-end") record = event.access;
    },
  };
  const results = await executeBatch(batch, toolsOf(plan), options);
  return { batch, results, started, record };
}

/** What the model reads of a result (outputs and codes; texts name nothing random). */
const seen = (results: readonly ToolResult[]) =>
  results.map((result) => (result.ok ? result.output : result.error.code));

describe("the access record (property)", () => {
  it("lists what ran with its categories and exactly the sensitive combinations returned", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (plan) => {
        const audit = { sensitive: plan.sensitive, redact: redactOf(plan.redact) };
        const plain = await run(plan, undefined);
        const { batch, results, started, record } = await run(plan, audit);
        expect(seen(results)).toStrictEqual(seen(plain.results));
        expect(plain.record).toBeUndefined();
        if (!record) throw new Error("no access record");
        expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
        expect(record.responseId).toBe("resp_1");
        const returned = new Map<string, Set<string>>();
        batch.calls.forEach((call, index) => {
          const entry = record.calls[index];
          const result = results[index] as ToolResult;
          const ran = started.has(call.id);
          expect(entry).toMatchObject({ callId: call.id, tool: call.name, ran });
          expect(entry?.outcome).toBe(codeOf(result));
          const declared = plan.tools[(plan.calls[index]?.tool ?? 0) % plan.tools.length];
          const extra = plan.calls[index]?.extra ?? [];
          const expected =
            !ran || !declared || call.name === "missing" || declared.kind === "none"
              ? []
              : declared.kind === "list"
                ? declared.list
                : declared.kind === "by-input"
                  ? [...new Set([...declared.list, ...extra])]
                  : undefined;
          expect(entry?.accesses).toStrictEqual(expected);
          if (expected === undefined) expect(entry?.error).toMatch(/accesses failed/);
          if (result.ok) {
            for (const category of expected ?? []) {
              returned.set(category, (returned.get(category) ?? new Set()).add(call.id));
            }
          }
          expect(entry?.arguments === undefined).toBe(plan.redact !== "keep");
        });
        expect(record.categories).toStrictEqual([...returned.keys()].sort());
        expect(record.sensitive).toStrictEqual(
          plan.sensitive
            .filter((combination) => combination.every((category) => returned.has(category)))
            .map((combination) => {
              const ids = new Set(combination.flatMap((c) => [...(returned.get(c) ?? [])]));
              return {
                categories: combination,
                callIds: batch.calls.map((call) => call.id).filter((id) => ids.has(id)),
              };
            }),
        );
      }),
      { numRuns: 200 },
    );
  });
});
