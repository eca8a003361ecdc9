import { fileURLToPath } from "node:url";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Workspace packages resolved to their source, so every test runs against the code as it is,
 * without a build. Exact matches, so `@toolbatch/contract/server` is not read as a prefix.
 */
export const workspaceAliases = [
  { find: /^@toolbatch\/core$/, replacement: source("./packages/core/src/index.ts") },
  {
    find: /^@toolbatch\/core\/file-store$/,
    replacement: source("./packages/core/src/file-store.ts"),
  },
  { find: /^@toolbatch\/contract$/, replacement: source("./packages/contract/src/index.ts") },
  {
    find: /^@toolbatch\/contract\/server$/,
    replacement: source("./packages/contract/src/server.ts"),
  },
  { find: /^@toolbatch\/openai$/, replacement: source("./packages/openai/src/index.ts") },
  { find: /^@toolbatch\/anthropic$/, replacement: source("./packages/anthropic/src/index.ts") },
  { find: /^@toolbatch\/google$/, replacement: source("./packages/google/src/index.ts") },
  { find: /^@toolbatch\/google\/genai$/, replacement: source("./packages/google/src/genai.ts") },
  {
    find: /^@toolbatch\/google\/generative-ai$/,
    replacement: source("./packages/google/src/generative-ai.ts"),
  },
  { find: /^@toolbatch\/otel$/, replacement: source("./packages/otel/src/index.ts") },
  { find: /^@toolbatch\/pg-boss$/, replacement: source("./packages/pg-boss/src/index.ts") },
];
