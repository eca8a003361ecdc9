import { defineProject } from "vitest/config";
import { workspaceAliases } from "../../vitest.aliases.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: "pg-boss",
    include: ["test/**/*.test.ts"],
    // One embedded PostgreSQL server for the whole run (test/support/global-setup.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // Every test talks to a real server over TCP: generous limits, never relied on for order.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: process.env.VITEST_TYPECHECK !== "0",
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
