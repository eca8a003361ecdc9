import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** One bundle's size, minified and gzipped. */
export interface BundleRow {
  readonly bundle: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  readonly goalBytes?: number;
}

async function bundle(
  name: string,
  source: string,
  external: string[],
  goalBytes?: number,
): Promise<BundleRow> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    // Node built-ins stay external (the AI SDK imports fs/path for its gateway auth).
    platform: "node",
    mainFields: ["module", "main"],
    external,
    // The packages' own tsconfig `paths` would resolve an adapter's `@toolbatch/core` to core's
    // sources, bundling core twice in the "an app" row; an application resolves it as published.
    tsconfigRaw: {},
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    bundle: name,
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    ...(goalBytes ? { goalBytes } : {}),
  };
}

/** esbuild, minified, gzip -9; vendor SDKs and zod external, as an application would have them. */
export async function bundleSizes(): Promise<BundleRow[]> {
  const vendors = ["zod", "openai", "@anthropic-ai/sdk", "@google/genai", "@google/generative-ai"];
  return [
    await bundle("@toolbatch/core", `export * from "@toolbatch/core";`, vendors, 4096),
    await bundle(
      "@toolbatch/openai (core external)",
      `export * from "@toolbatch/openai";`,
      [...vendors, "@toolbatch/core"],
      3072,
    ),
    await bundle(
      "@toolbatch/core + @toolbatch/openai",
      `export * from "@toolbatch/core"; export * from "@toolbatch/openai";`,
      vendors,
    ),
    await bundle(
      "an app: defineTool + executeBatch + openaiChat",
      `import { defineTool, executeBatch } from "@toolbatch/core"; import { openaiChat } from "@toolbatch/openai"; console.log(defineTool, executeBatch, openaiChat);`,
      vendors,
    ),
    await bundle(
      "ai + @ai-sdk/openai (zod external)",
      `export * from "ai"; export * from "@ai-sdk/openai";`,
      vendors,
    ),
  ];
}
