import { defineTool, type Tool } from "@toolbatch/core";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { type OpenAIStrictArguments, openaiStrictTool } from "../src/openai-strict-tool.js";

describe("openaiStrictTool types", () => {
  const tool = defineTool({
    name: "search",
    description: "",
    input: z.object({
      query: z.string(),
      limit: z.number().optional(),
      after: z.string().nullable(),
      filter: z.object({ lang: z.string().optional() }).optional(),
      tags: z.array(z.object({ name: z.string(), weight: z.number().optional() })),
    }),
    execute: (input) => input.limit ?? 0,
  });
  type Input = Parameters<typeof tool.execute>[0];

  it("keeps the tool's own input type: the nulls the conversion added never reach execute", () => {
    const strict = openaiStrictTool(tool);
    expectTypeOf(strict).toEqualTypeOf<typeof tool>();
    expectTypeOf<Parameters<typeof strict.execute>[0]>().toEqualTypeOf<{
      query: string;
      limit?: number | undefined;
      after: string | null;
      filter?: { lang?: string | undefined } | undefined;
      tags: { name: string; weight?: number | undefined }[];
    }>();
    expectTypeOf(strict).toExtend<Tool<Input, number>>();
  });

  it("names what the model sends under strict mode: every key present, optional ones nullable", () => {
    expectTypeOf<OpenAIStrictArguments<Input>>().toEqualTypeOf<{
      query: string;
      limit: number | null;
      after: string | null;
      filter: { lang: string | null } | null;
      tags: { name: string; weight: number | null }[];
    }>();
  });
});
