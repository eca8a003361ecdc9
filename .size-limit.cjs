// Size budgets (issue 8: core <= 4 KB, each adapter <= 3 KB, minified + gzip; the bench reads KB as
// 1024 bytes). Run: `pnpm run build && pnpm run size`; `pnpm exec size-limit --save-bundle <dir>`
// writes each measured bundle to read.
//
// Every check: the built ESM file (packages/*/dist/index.js) bundled by esbuild as an application's
// bundler would (minified, tree-shaken, ESM output), then gzip -9 (`gzip: true`; size-limit's
// default, brotli, reads about 10% smaller). zod and the vendor SDKs are peers, never counted.
//
// Four kinds of check, because "the size of a package" means different things:
//  - "whole entry": everything the package exports, what an application pays only if it uses all
//    of it. It grows with every export added; it guards growth and carries no goal.
//  - "import { x }": what an application that imports `x` pays, the rest tree-shaken away. These
//    carry the goals: core's usual import (defineTool + executeBatch, the README's) <= 4 KB, each
//    adapter entry point (openaiChat, openaiResponses, anthropic, googleGenAI, googleGenerativeAI)
//    <= 3 KB. An adapter's check leaves @toolbatch/core's code out (a dependency with its own
//    budget): the names it imports from core become empty local bindings (see corePlaceholder).
//  - "tree-shaking guard": the smallest export alone. The "import" checks are honest only while
//    every export tree-shakes: error classes set their Symbol.for marker in the constructor (a
//    computed class field keeps a class in every bundle), module-level values have no side
//    effects (no call or spread that is not pure). New code that breaks this lands in every
//    "import" check whatever is imported, and fails the guard first.
//  - "transcript": what a codec for continuing a conversation on another vendor costs, for an
//    application that imports it (convertHistory and the codecs tree-shake away otherwise).
//  - "app": core and one adapter bundled together, as an application has them (goal: 4 + 3 KB).
//    It counts the core helpers an adapter uses (stream accumulator, createToolCall,
//    renderResultText, id generator: 0.4-0.8 kB), which neither the adapter's check nor core's
//    "import" check includes, and none of the import statements above.
//
// Where a check meets its goal, its limit IS the goal ("4 KiB", "3 KiB": 4096 and 3072 bytes), the
// budget the issue set. Where it misses, its limit is the size measured on 2026-11-25 rounded up to
// 10 bytes, so it can only shrink: lower the limit when it does. Goals met: core (defineTool +
// executeBatch), anthropic, openaiResponses. Missed, each by a documented feature that is opt-in
// or intrinsic, not by dead code (each measured by building without it):
//  - openaiChat, ~0.5 kB over: strict schemas (`strict: true`) are ~0.63 kB of it, the check that
//    refuses a schema OpenAI's strict mode would reject, with a pointer and a fix (StrictSchemaError);
//  - googleGenAI, ~0.24 kB over: Vertex's streamed function-call arguments (partialArgs pieces at
//    JSON paths, string pieces continued), ~0.47 kB;
//  - googleGenerativeAI, ~1.7 kB over: the JSON Schema -> OpenAPI subset conversion the legacy SDK
//    needs (its types have no parametersJsonSchema), ~1.47 kB, with a warning for every dropped
//    keyword, plus the same partialArgs.
// runToolLoop is the loop on top of executeBatch (~0.75 kB more) and carries no goal of its own.
// The "app" checks (4 + 3 KB) miss by 0.8-2.2 kB: besides the misses above, ~1 kB of core's shared
// adapter helpers (stream accumulator, createToolCall and argument parsing, the id generator, the
// result checks) that no per-package check counts, since they belong to neither import alone.
const vendors = ["zod", "openai", "@anthropic-ai/sdk", "@google/genai", "@google/generative-ai"];
const dist = (name) => `packages/${name}/dist/index.js`;
// ESM output, as an application's bundler produces: esbuild's default, an IIFE, turns external
// imports into a require() shim (~0.2 kB counted for every adapter). tsconfigRaw: the workspace's
// tsconfig `paths` would resolve an adapter's `@toolbatch/core` to core's sources, not its dist
// (an "app" check then bundled core twice); an application resolves it through node_modules.
const esm = (config) => ({ ...config, format: "esm", tsconfigRaw: {} });

// An adapter's checks bundle it the way an application does, minus core's code: each name it
// imports from @toolbatch/core becomes an empty local binding (`let a, b;`), as it becomes a
// local function in the application's bundle, where core's code is counted by core's checks.
// Left external instead, the import statement would keep every name in full (~0.2 kB per adapter,
// tsup merges its imports of core into one statement), bytes no application bundle contains.
const coreNames = Object.keys(require("./packages/core/dist/index.cjs"));
const corePlaceholder = {
  name: "toolbatch-core-placeholder",
  setup(build) {
    build.onResolve({ filter: /^@toolbatch\/core$/ }, () => ({
      path: "@toolbatch/core",
      namespace: "toolbatch-core-placeholder",
    }));
    build.onLoad({ filter: /.*/, namespace: "toolbatch-core-placeholder" }, () => ({
      contents: `export let ${coreNames.join(", ")};`,
      loader: "js",
    }));
  },
};
const adapterEsm = (config) => ({
  ...esm(config),
  plugins: [...(config.plugins ?? []), corePlaceholder],
});

const check = (name, limit, options) => ({
  name,
  limit,
  gzip: true,
  ignore: vendors,
  modifyEsbuildConfig: esm,
  ...options,
});
// Core's own checks bundle core; an adapter's replace core by the placeholder above.
const entryCheck = (pkg, name, limit, options) =>
  check(name, limit, {
    path: dist(pkg),
    ...(pkg === "core" ? {} : { modifyEsbuildConfig: adapterEsm }),
    ...options,
  });
const wholeEntry = (pkg, limit) => entryCheck(pkg, `@toolbatch/${pkg} (whole entry)`, limit);
const imports = (pkg, names, limit) =>
  entryCheck(pkg, `@toolbatch/${pkg}: import ${names}`, limit, { import: names });
const guard = (pkg, names, limit) =>
  entryCheck(pkg, `@toolbatch/${pkg}: import ${names} (tree-shaking guard)`, limit, {
    import: names,
  });
const app = (adapter, names, limit) =>
  check(`app: core { defineTool, executeBatch } + ${adapter} ${names}`, limit, {
    path: dist(adapter),
    import: { [dist("core")]: "{ defineTool, executeBatch }", [dist(adapter)]: names },
  });

module.exports = [
  wholeEntry("core", "8.94 kB"),
  guard("core", "{ toolSuccess }", "50 B"),
  imports("core", "{ defineTool, executeBatch }", "4 KiB"), // goal: 4 KB
  imports("core", "{ defineTool, runToolLoop }", "4.85 kB"), // no goal (see above)

  wholeEntry("openai", "7.41 kB"),
  guard("openai", "{ TooManyToolsError }", "200 B"),
  imports("openai", "{ openaiChat }", "3.60 kB"), // goal: 3 KB
  imports("openai", "{ openaiResponses }", "3 KiB"), // goal: 3 KB

  wholeEntry("anthropic", "5.28 kB"),
  guard("anthropic", "{ ANTHROPIC_CALL_ID }", "20 B"),
  imports("anthropic", "{ anthropic }", "3 KiB"), // goal: 3 KB

  wholeEntry("google", "7.35 kB"),
  guard("google", "{ CandidateNotFoundError }", "230 B"),
  imports("google", "{ googleGenAI }", "3.31 kB"), // goal: 3 KB
  imports("google", "{ googleGenerativeAI }", "4.82 kB"), // goal: 3 KB

  // Transcript codecs (cross-provider history): what continuing on another vendor costs; no goal.
  imports("core", "{ convertHistory, createTranscriptBuilder, prepareTranscript }", "2.56 kB"),
  imports("openai", "{ openaiChatTranscript }", "1.76 kB"),
  imports("openai", "{ openaiResponsesTranscript }", "2.13 kB"),
  imports("anthropic", "{ anthropicTranscript }", "2.50 kB"),
  imports("google", "{ googleGenAITranscript }", "2.66 kB"),

  // goal: 7 KB each
  app("openai", "{ openaiChat }", "8.62 kB"),
  app("openai", "{ openaiResponses }", "8.10 kB"),
  app("anthropic", "{ anthropic }", "8.14 kB"),
  app("google", "{ googleGenAI }", "7.99 kB"),
  app("google", "{ googleGenerativeAI }", "9.43 kB"),
];
