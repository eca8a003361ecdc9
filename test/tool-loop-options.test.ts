import { scriptedToolModel, startVendorServer } from "@toolbatch/contract";
import { defineTool, InvalidOptionError, jsonSchema } from "@toolbatch/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { LOOP_VENDORS } from "./support/loop-vendors.js";

// Issue 16: runToolLoop checks the executor's options (the check executeBatch runs) before its
// first request; an invalid one used to fail only once the first step's executor opened, after a
// request had reached the vendor.

const INVALID: readonly (readonly [string, unknown])[] = [
  ["concurrency", 0],
  ["concurrency", 1.5],
  ["timeoutMs", 0],
  ["timeoutMs", "1000"],
  ["parallel", "no"],
  ["approve", "yes"],
];

const vendors = LOOP_VENDORS.map((vendor) => [vendor.name, vendor] as const);

describe.each(vendors)("runToolLoop's options (%s)", (_name, vendor) => {
  it.each(INVALID)("%s: %j is refused before anything is sent", async (option, value) => {
    const started = await startVendorServer({
      vendor: vendor.server,
      replies: scriptedToolModel({
        calls: [{ name: "lookup", arguments: { city: "Paris" } }],
        answer: (results) => results.join(" | "),
      }),
    });
    onTestFinished(() => started.close());
    const ran: string[] = [];
    const lookup = defineTool({
      name: "lookup",
      description: "Looks a city up.",
      input: jsonSchema<Record<string, unknown>>({ type: "object" }),
      execute: (_args, { call }) => {
        ran.push(call.id);
        return "found";
      },
    });
    const run = vendor.run({
      url: started.url,
      tools: [lookup],
      stream: false,
      more: { [option]: value },
    });
    await expect(run).rejects.toThrow(InvalidOptionError);
    await expect(run).rejects.toMatchObject({ option });
    expect(started.requests).toHaveLength(0);
    expect(ran).toStrictEqual([]);
  });
});
