import { defineProject } from "vitest/config";
import { workspaceAliases } from "../../vitest.aliases.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: "anthropic",
    include: ["test/**/*.test.ts"],
    typecheck: {
      enabled: process.env.VITEST_TYPECHECK !== "0",
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
