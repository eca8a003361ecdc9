import type { GenerateContentResponse as LegacyResponse } from "@google/generative-ai";
import { defineTool, executeBatch } from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { googleGenAI, googleGenerativeAI } from "../src/index.js";
import { call, response, responsesOf } from "./support.js";

// Issue 18: a success's functionResponse carries what the model reads of it (modelOutputOf: the
// tool's toModelOutput mapping), never the output the mapping replaced, with either Google SDK.

const REAL = { rows: [{ id: "internal-7" }] };

const search = defineTool({
  name: "search",
  description: "",
  input: z.object({ q: z.string() }),
  execute: () => REAL,
  toModelOutput: (output, { call }) => `${output.rows.length} row for ${call.id}`,
});

const turn = response([call("search", { q: "a" }, { id: "c1" }), call("search", { q: "b" })]);

describe("gemini follow-up: the model's form of an output", () => {
  it.each([
    ["googleGenAI", () => googleGenAI().toBatch(turn), googleGenAI()],
    [
      "googleGenerativeAI",
      () => googleGenerativeAI().toBatch(turn as unknown as LegacyResponse),
      googleGenerativeAI(),
    ],
  ] as const)("%s sends modelOutput in response.output", async (_name, toBatch, adapter) => {
    const batch = toBatch();
    const results = await executeBatch(batch, [search]);
    expect(results.map((result) => result.ok && result.output)).toStrictEqual([REAL, REAL]);
    const followUp = adapter.toFollowUp(batch as never, results) as never;
    expect(responsesOf(followUp).map((part) => part?.response)).toStrictEqual(
      batch.calls.map((c) => ({ output: `1 row for ${c.id}` })),
    );
  });
});
