import { defineConfig, type Options } from "tsup";

/**
 * The build every adapter-style package shares: ESM and CommonJS with their own `.d.ts`/`.d.cts`,
 * from `src/index.ts`, for Node 20, dependencies and peers left external. `treeshake` (rollup)
 * merges the per-module imports of a dependency into one statement: esbuild's own output keeps
 * one `import ... from "@toolbatch/core"` per source module, which a bundler that treats the
 * dependency as external cannot drop.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    tsconfig: "tsconfig.build.json",
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    treeshake: true,
    ...overrides,
  });
}
