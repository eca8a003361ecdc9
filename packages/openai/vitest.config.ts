import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: {
      "@toolbatch/core": source("../core/src/index.ts"),
      "@toolbatch/contract": source("../contract/src/index.ts"),
    },
  },
  test: {
    name: "openai",
    include: ["test/**/*.test.ts"],
    typecheck: {
      enabled: process.env.VITEST_TYPECHECK !== "0",
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
