// Size budgets (issue 8): each package's ESM build, everything it exports, bundled with esbuild,
// minified and brotli-compressed (@size-limit/preset-small-lib). Run: `pnpm run size`.
// Dependencies and peers are not counted: zod, the vendor SDKs, and @toolbatch/core for adapters.
//
// The goal is core <= 4 kB and each adapter <= 3 kB. No package meets it yet, and no small
// safe change gets there: the bytes are logic (core: the scheduler and executor, batch-run.ts and
// batch-execution.ts, ~35% of the minified code; openai: two protocols' stream decoders; google:
// the JSON Schema to OpenAPI converter of the legacy SDK, ~30%), plus ~0.5 kB of error and
// warning text per package. The limits are the sizes measured on 2026-11-24, rounded up, so a
// package can only shrink towards the goal: lower a limit whenever a package gets smaller.
// `size-limit --save-bundle <dir>` writes the measured bundle to read.
const external = [
  "@toolbatch/core",
  "zod",
  "openai",
  "@anthropic-ai/sdk",
  "@google/genai",
  "@google/generative-ai",
];

module.exports = [
  // goal: 4 kB
  { name: "@toolbatch/core", path: "packages/core/dist/index.js", limit: "6.2 kB" },
  // goal: 3 kB
  {
    name: "@toolbatch/openai",
    path: "packages/openai/dist/index.js",
    limit: "4.8 kB",
    ignore: external,
  },
  // goal: 3 kB
  {
    name: "@toolbatch/anthropic",
    path: "packages/anthropic/dist/index.js",
    limit: "3.2 kB",
    ignore: external,
  },
  // goal: 3 kB
  {
    name: "@toolbatch/google",
    path: "packages/google/dist/index.js",
    limit: "5.1 kB",
    ignore: external,
  },
];
