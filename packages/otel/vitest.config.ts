import { defineProject } from "vitest/config";
import { workspaceAliases } from "../../vitest.aliases.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: "otel",
    // A ceiling for a hung test, not a speed goal: property tests take seconds on 2 busy cores.
    testTimeout: 30_000,
    include: ["test/**/*.test.ts"],
    typecheck: {
      enabled: process.env.VITEST_TYPECHECK !== "0",
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
